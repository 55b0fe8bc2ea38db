package parlab.testing;

import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ThreadPoolExecutor;

/** Checks on the threads that the code under test made. */
public final class Threads {
    /** How long a pool's worker that is already leaving may take to end. */
    private static final Duration LEAVING = Duration.ofSeconds(5);

    private Threads() {
    }

    /**
     * Whether {@code thread} has not ended: {@code assertThat(made).noneMatch(Threads::stillAlive)} checks that every
     * thread is gone once the code returned. Like {@link Thread#isAlive()}, except for a pool's worker that is
     * already leaving. A pool's last worker signals that the pool has terminated (so {@code close()} and
     * {@code awaitTermination} return) a moment before its thread ends: such a thread, in
     * {@code ThreadPoolExecutor.processWorkerExit} or {@code ForkJoinPool.deregisterWorker}, or past its last
     * Java frame, is given up to 5 s to end. Any other live thread counts at once, so a thread that was not joined
     * while it still worked, or that waits for more work, fails the check.
     */
    public static boolean stillAlive(Thread thread) {
        if (thread.isAlive() && leaving(thread)) {
            try {
                thread.join(LEAVING);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        return thread.isAlive();
    }

    private static boolean leaving(Thread thread) {
        StackTraceElement[] stack = thread.getStackTrace();
        return stack.length == 0 || Arrays.stream(stack).anyMatch(frame
                -> frame.getClassName().equals(ThreadPoolExecutor.class.getName())
                        && frame.getMethodName().equals("processWorkerExit")
                || frame.getClassName().equals(ForkJoinPool.class.getName())
                        && frame.getMethodName().equals("deregisterWorker"));
    }
}
