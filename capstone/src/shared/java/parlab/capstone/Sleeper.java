package parlab.capstone;

/** Waits between retries: {@link #REAL} sleeps; tests pass one that records the delays and returns at once. */
@FunctionalInterface
public interface Sleeper {
    Sleeper REAL = millis -> Thread.sleep(millis);

    void sleep(long millis) throws InterruptedException;
}
