package parlab.capstone;

/**
 * Time for the supervisor: waits between retries and tells how long a worker has been idle. {@link #REAL} sleeps
 * and reads {@link System#nanoTime()}; tests pass a fake that records the delays, returns at once and keeps a clock
 * of its own, so that back-offs and idle timeouts are checked exactly and instantly.
 */
@FunctionalInterface
public interface Sleeper {
    Sleeper REAL = millis -> Thread.sleep(millis);

    void sleep(long millis) throws InterruptedException;

    /** A monotonic clock in nanoseconds (only differences mean something). */
    default long nanoTime() {
        return System.nanoTime();
    }
}
