package parlab.stage2.pools;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
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
 * <p>Reference solution. A fixed thread pool does the queueing; the lesson is in its {@link ThreadFactory}. Every
 * worker thread runs the executor's own loop inside a wrapper whose {@code finally} block closes the resource the
 * thread made, if it made one, on that very thread, as the thread ends. A {@link ThreadLocal} is where a running
 * task finds its worker's resource: the first task on a thread finds it empty and calls the initializer.
 * {@code close()} shuts the executor down and waits for it, then also {@code join()}s every worker thread:
 * {@code awaitTermination} returns once the executor has no workers left, which can be a moment before a thread's
 * wrapper has finished closing its resource.
 *
 * <p>Other ways: a {@link ScopedValue} fits a pool that owns its own worker loop. Each thread runs {@code
 * ScopedValue.where(RESOURCE, initializer.get()).run(loop)} and closes the resource in a {@code finally} after it;
 * a task reads {@code RESOURCE.get()}. The binding is immutable, cannot outlive the loop and cannot be left behind
 * by a forgotten {@code remove()} (the classic ThreadLocal leak in a long-lived pool whose threads are reused by
 * other code), but it needs the loop to be yours: you cannot bind a value around a thread you do not start. Eager
 * initialisation (one call per thread at start, as in Python) pays for every worker even if few tasks come; lazy
 * initialisation, as here, pays on the first task of each thread. A pool of resources (check one out per task, a
 * JDBC connection pool) decouples their number from the number of threads, at the price of a lock per task.
 *
 * @param <R> the per-worker resource
 */
public final class StatefulPool<R extends AutoCloseable> implements AutoCloseable {
    private final Supplier<? extends R> initializer;
    private final ExecutorService executor;
    private final ThreadLocal<R> resource = new ThreadLocal<>();
    /** Every worker thread started, so that close() can join them; guarded by itself. */
    private final List<Thread> threads = new ArrayList<>();

    /**
     * A pool of {@code workers} threads made by {@code factory}, each with its own resource from {@code initializer}.
     */
    public StatefulPool(int workers, ThreadFactory factory, Supplier<? extends R> initializer) {
        if (workers < 1) {
            throw new IllegalArgumentException("workers must be at least 1, was " + workers);
        }
        Objects.requireNonNull(factory, "factory");
        this.initializer = Objects.requireNonNull(initializer, "initializer");
        this.executor = Executors.newFixedThreadPool(workers, loop -> {
            Thread thread = factory.newThread(() -> runWorker(loop));
            synchronized (threads) {
                threads.add(thread);
            }
            return thread;
        });
    }

    /** Runs {@code task} on a worker with that worker's resource. */
    public <T> Future<T> submit(Function<? super R, ? extends T> task) {
        Objects.requireNonNull(task, "task");
        return executor.submit(() -> task.apply(currentResource()));
    }

    /** Waits for every submitted task, closes every worker's resource on its own thread, ends every worker. */
    @Override
    public void close() {
        executor.close(); // shutdown(), then wait for the queued and running tasks
        List<Thread> started;
        synchronized (threads) {
            started = List.copyOf(threads);
        }
        boolean interrupted = false;
        for (Thread thread : started) {
            while (true) {
                try {
                    thread.join();
                    break;
                } catch (InterruptedException e) {
                    interrupted = true; // finish the shutdown, then re-assert the interrupt
                }
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /** This worker's resource, made on its first use. */
    private R currentResource() {
        R current = resource.get();
        if (current == null) {
            current = Objects.requireNonNull(initializer.get(), "the initializer returned null");
            resource.set(current);
        }
        return current;
    }

    /** A worker thread's whole life: the executor's loop, then the resource's teardown on the same thread. */
    private void runWorker(Runnable loop) {
        try {
            loop.run();
        } finally {
            R current = resource.get();
            resource.remove();
            if (current != null) {
                try {
                    current.close();
                } catch (Exception e) {
                    Thread.currentThread().getUncaughtExceptionHandler()
                            .uncaughtException(Thread.currentThread(), e);
                }
            }
        }
    }
}
