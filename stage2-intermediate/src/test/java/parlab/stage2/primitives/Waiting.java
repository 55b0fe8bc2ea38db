package parlab.stage2.primitives;

import static org.assertj.core.api.Assertions.fail;

import java.time.Duration;
import java.util.Collection;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;

/** Test helpers: start a call on a thread of its own, wait until threads block, get results or failures. */
final class Waiting {
    private Waiting() {
    }

    /** A started daemon thread running {@code task}, whose result or failure the returned future holds. */
    static <T> FutureTask<T> start(String name, java.util.concurrent.Callable<T> task) {
        FutureTask<T> future = new FutureTask<>(task);
        Thread.ofPlatform().daemon(true).name(name).start(future);
        return future;
    }

    /** True if the thread is parked, waiting for something (not running, not spinning). */
    static boolean blocked(Thread thread) {
        Thread.State state = thread.getState();
        return state == Thread.State.WAITING || state == Thread.State.TIMED_WAITING;
    }

    /**
     * Waits up to 5 s until {@code condition} holds; if one of {@code tasks} failed first, rethrows its failure (a
     * TODO, say); if the time runs out, fails with {@code what}.
     */
    static void awaitOrFail(String what, Collection<? extends Future<?>> tasks, BooleanSupplier condition)
            throws Exception {
        try {
            Awaitility.await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(2))
                    .until(() -> condition.getAsBoolean() || tasks.stream().anyMatch(Waiting::failed));
        } catch (ConditionTimeoutException timeUp) {
            fail("waited 5 s for this in vain: " + what);
        }
        for (Future<?> task : tasks) {
            if (failed(task)) {
                get(task);
            }
        }
    }

    /** The task's result within 5 s; its failure rethrown; an assertion failure naming {@code what} if it hangs. */
    static <T> T getWithin5s(Future<T> task, String what) throws Exception {
        return getWithin(5, task, what);
    }

    /** The task's result within {@code seconds}; its failure rethrown; an assertion failure if it hangs. */
    static <T> T getWithin(int seconds, Future<T> task, String what) throws Exception {
        try {
            return unwrap(() -> task.get(seconds, TimeUnit.SECONDS));
        } catch (TimeoutException stillWaiting) {
            return fail("still waiting after " + seconds + " s: " + what);
        }
    }

    static <T> T get(Future<T> task) throws Exception {
        return unwrap(task::get);
    }

    private interface Get<T> {
        T get() throws Exception;
    }

    private static <T> T unwrap(Get<T> get) throws Exception {
        try {
            return get.get();
        } catch (ExecutionException failed) {
            if (failed.getCause() instanceof Exception exception) {
                throw exception;
            }
            throw (Error) failed.getCause();
        }
    }

    private static boolean failed(Future<?> task) {
        return task.isDone() && task.state() == Future.State.FAILED;
    }
}
