package parlab.stage3.retry;

/**
 * A source of time for code that waits: the system's monotonic clock in production, a fake one in tests, so that a
 * test of "give up after 30 seconds" takes no time at all and gives the same answer on every run.
 */
@FunctionalInterface
public interface Clock {
    /** Nanoseconds since some fixed but arbitrary origin; only differences mean something (like {@link System#nanoTime()}). */
    long nanoTime();

    /** The real monotonic clock. */
    static Clock system() {
        return System::nanoTime;
    }
}
