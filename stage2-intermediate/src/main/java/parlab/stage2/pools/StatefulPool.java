package parlab.stage2.pools;

import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadFactory;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * s2e06 · Worker pools with state.
 *
 * <p>Some work needs an expensive helper: a database connection, a parser with a big grammar, a compiled regex
 * set, a native library handle. Creating it for every task costs more than the task itself; sharing one among all
 * threads needs locking, or is simply not allowed (a JDBC connection, a {@code MessageDigest} and a
 * {@code SimpleDateFormat} are not thread-safe). The middle way is Python's {@code multiprocessing.Pool(
 * initializer=...)}: every worker makes its own helper once, keeps it for every task it runs, and tears it down
 * when the pool shuts down.
 *
 * <p>The contract, which the tests pin down:
 * <ul>
 *   <li>{@link #submit} runs {@code task.apply(resource)} on one of the pool's {@code workers} threads, made by the
 *       given {@link ThreadFactory}, and the returned future completes with its result or its exception;
 *   <li>each worker thread calls the initializer at most once, on itself, before it runs its first task, and then
 *       hands that same resource to every task it runs: with every worker busy, the initializer has run exactly
 *       {@code workers} times, however many tasks follow, and a task that throws does not change that;
 *   <li>a resource never leaves its worker: it is created, used and closed on the same thread, and no two workers
 *       ever see the same resource;
 *   <li>{@link #close} lets every submitted task finish, then closes every resource, each on its own worker thread,
 *       and returns only when every worker thread has ended (also after failed tasks);
 *   <li>{@link #submit} after {@link #close} throws {@link RejectedExecutionException}; {@code workers < 1} is an
 *       {@link IllegalArgumentException}.
 * </ul>
 *
 * <p>Baseline experiment: {@code ./lab bench stateful-pools} runs 200 small tasks whose resource costs about 1 ms
 * to create, once creating it in every task ({@code perTask}) and once through this pool ({@code perWorker}).
 *
 * <p>Things to think about: where can a task find "its" worker's resource when the threads belong to an executor
 * you did not write? (Look at what the {@link ThreadFactory} hands you: the executor's loop, as a Runnable you
 * may wrap.) When does a worker thread end, and which code runs on it last? Why is {@code awaitTermination} not
 * quite enough to know that every resource is closed?
 *
 * @param <R> the per-worker resource
 */
public final class StatefulPool<R extends AutoCloseable> implements AutoCloseable {

    /**
     * A pool of {@code workers} threads made by {@code factory}, each with its own resource from {@code initializer}.
     */
    public StatefulPool(int workers, ThreadFactory factory, Supplier<? extends R> initializer) {
        // TODO: validate workers, and keep what submit() and close() need
        // TODO: create a fixed pool of worker threads whose factory wraps the executor's loop: on the way out, the
        //  thread closes the resource it made
        throw new UnsupportedOperationException("TODO: StatefulPool");
    }

    /** Runs {@code task} on a worker with that worker's resource. */
    public <T> Future<T> submit(Function<? super R, ? extends T> task) {
        // TODO: run the task on a worker with the resource of the worker that runs it (made on its first task)
        throw new UnsupportedOperationException("TODO: submit");
    }

    /** Waits for every submitted task, closes every worker's resource on its own thread, ends every worker. */
    @Override
    public void close() {
        // TODO: shut down, wait for the tasks, and wait until every worker thread (and so its teardown) has ended
        throw new UnsupportedOperationException("TODO: close");
    }
}
