package parlab.stage3.priority;

/**
 * A source of time: the system's monotonic clock in production, a fake one in tests, so that "a low-priority task
 * waits at most 500 ms" is checked exactly and without waiting. Implementations must be safe to read from any thread.
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
