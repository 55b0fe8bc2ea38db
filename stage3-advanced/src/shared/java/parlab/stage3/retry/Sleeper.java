package parlab.stage3.retry;

import java.time.Duration;

/**
 * Waits: {@link Thread#sleep(Duration)} in production, a fake that only moves a fake {@link Clock} forward in tests.
 * Like {@code Thread.sleep}, every implementation throws {@link InterruptedException} (and clears the interrupt
 * status) when the thread is interrupted before or during the wait.
 */
@FunctionalInterface
public interface Sleeper {
    void sleep(Duration duration) throws InterruptedException;

    /** The real thing: {@link Thread#sleep(Duration)}. */
    static Sleeper system() {
        return Thread::sleep;
    }
}
