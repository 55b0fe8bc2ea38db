package parlab.stage3.autoscale;

/**
 * A source of time: the system's monotonic clock in production, a fake one in tests, so that "scale down after a
 * 30 s cooldown" is tested exactly and at once. Implementations must be safe to read from any thread.
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
