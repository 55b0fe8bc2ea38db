package parlab.stage3.metrics;

/**
 * Where s3e05 reads the time from, so that tests can make every latency exact: {@link #SYSTEM} in production,
 * a fake clock in tests.
 */
@FunctionalInterface
public interface Clock {
    Clock SYSTEM = System::nanoTime;

    /** A monotonic time in nanoseconds, like {@link System#nanoTime()}: only differences mean anything. */
    long nanoTime();
}
