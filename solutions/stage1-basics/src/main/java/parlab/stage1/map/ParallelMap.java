package parlab.stage1.map;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.RandomAccess;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionService;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorCompletionService;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadFactory;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * s1e02 · Parallel map with a pool.
 *
 * <p>In s1e01 you started and joined one thread per block by hand. A thread pool does that bookkeeping once: a
 * fixed set of worker threads takes tasks from a queue, and every {@code submit} hands back a {@code Future} for
 * one result. This is Python's {@code Pool.map}, {@code imap_unordered} and {@code chunksize} in Java terms:
 * {@link #map} returns the results in the input's order, {@link #mapUnordered} hands each result over as soon as
 * its task completes (an {@link java.util.concurrent.ExecutorCompletionService} tells you which one did), and
 * {@code chunkSize} decides how many consecutive items one task maps, so that a cheap function does not drown in
 * per-task overhead.
 *
 * <p>The contract of {@link #map} and {@link #mapUnordered}, which the tests pin down:
 * <ul>
 *   <li>{@code map} returns {@code fn(items.get(i))} at index {@code i}, whatever order the tasks finish in;
 *   <li>{@code mapUnordered} calls {@code onResult} once per item, <em>on the calling thread</em>, as soon as the
 *       task that mapped the item has completed (a chunk's results one after another), while the other tasks
 *       still run;
 *   <li>the items are cut into chunks of {@code chunkSize} consecutive items (the last one may be shorter); one
 *       task maps one chunk, item after item, so a chunk is mapped in order on a single thread;
 *   <li>up to {@code workers} tasks run at once, on at most {@code min(workers, number of chunks)} threads, all made
 *       by the given {@link ThreadFactory}; an empty list makes no thread at all;
 *   <li>when the call returns or throws, its pool has terminated: no task is still running, and the pool's
 *       threads are ending;
 *   <li>the first task to fail (first in time, not in index order) ends the call: the other tasks are cancelled
 *       at once (queued ones dropped, running ones interrupted), and the caller gets the exception {@code fn}
 *       threw, the very same object ({@code fn} is a {@link Function}, so it is a {@link RuntimeException} or an
 *       {@link Error});
 *   <li>if the calling thread is interrupted while it waits, the tasks are stopped the same way and
 *       {@link InterruptedException} is thrown;
 *   <li>{@code workers < 1} or {@code chunkSize < 1} is an {@link IllegalArgumentException} that names the bad
 *       argument, even for an empty list.
 * </ul>
 *
 * <p>Baseline experiment: {@code ./lab bench parallel-map} maps a very cheap function over 200,000 items with
 * {@code chunkSize} 1, 10, 100 and 1000. With chunks of one item, every item pays for a queue hand-off, a
 * {@code Future} and often a thread wake-up, which cost far more than the function itself.
 *
 * <p>Things to think about: which thread writes the results list, and how does a value computed on a worker get
 * to it safely? If item 0 is slow and item 7 fails at once, how soon do you notice? What happens to the tasks still
 * in the queue when you give up, and to the thread that is in the middle of one?
 *
 * <p>Reference solution. One private loop serves both methods: it submits one task per chunk to a fixed pool
 * wrapped in an {@link ExecutorCompletionService} and takes the finished chunks in completion order; {@code map}
 * writes each chunk at its offset, {@code mapUnordered} passes it on. Only the calling thread touches the results;
 * a chunk's values reach it through its {@code Future}, whose completion happens-before {@code get} returns, so no
 * lock is needed. Any exit other than success (a failed task, an interrupt, a throwing {@code onResult}) calls
 * {@code shutdownNow()}, which drains the queue and interrupts the running tasks; try-with-resources then waits for
 * every worker to end. Each task also checks for an interrupt between items, so a cancelled chunk stops early.
 *
 * <p>Other ways: {@code invokeAll} gives the results in order but only once the slowest task is done, so a failure
 * is noticed late; waiting on the futures one by one in index order has the same flaw. A parallel stream
 * ({@code items.parallelStream().map(fn).toList()}) keeps order and splits for you, but on the shared common pool,
 * with no say over threads or chunking. For a pipeline of stages, see s3e08.
 */
public final class ParallelMap {
    private ParallelMap() {
    }

    /** {@link #map(List, Function, int, int, ThreadFactory)} with chunks of one item and default threads. */
    public static <T, R> List<R> map(List<? extends T> items, Function<? super T, ? extends R> fn, int workers)
            throws InterruptedException {
        return map(items, fn, workers, 1, Executors.defaultThreadFactory());
    }

    /** The results of {@code fn} on every item, in the items' order, mapped by up to {@code workers} threads. */
    public static <T, R> List<R> map(List<? extends T> items, Function<? super T, ? extends R> fn, int workers,
            int chunkSize, ThreadFactory factory) throws InterruptedException {
        checkArguments(workers, chunkSize);
        Object[] results = new Object[items.size()]; // written and read by the calling thread only
        run(items, fn, workers, chunkSize, factory, chunk -> {
            for (int i = 0; i < chunk.results().size(); i++) {
                results[chunk.start() + i] = chunk.results().get(i);
            }
        });
        @SuppressWarnings("unchecked")
        List<R> inOrder = (List<R>) Arrays.asList(results);
        return Collections.unmodifiableList(inOrder);
    }

    /** Gives {@code onResult}, on the calling thread, each result of {@code fn} as soon as its task completes. */
    public static <T, R> void mapUnordered(List<? extends T> items, Function<? super T, ? extends R> fn, int workers,
            int chunkSize, ThreadFactory factory, Consumer<? super R> onResult) throws InterruptedException {
        checkArguments(workers, chunkSize);
        run(items, fn, workers, chunkSize, factory, chunk -> chunk.results().forEach(onResult));
    }

    /** The results of one chunk, {@code fn} of the items {@code [start, start + results.size())}. */
    private record Chunk<R>(int start, List<R> results) {
    }

    private static void checkArguments(int workers, int chunkSize) {
        if (workers < 1) {
            throw new IllegalArgumentException("workers must be at least 1, was " + workers);
        }
        if (chunkSize < 1) {
            throw new IllegalArgumentException("chunkSize must be at least 1, was " + chunkSize);
        }
    }

    /** Maps every chunk on a pool of its own and gives each finished chunk to {@code onChunk}, in completion order. */
    private static <T, R> void run(List<? extends T> items, Function<? super T, ? extends R> fn, int workers,
            int chunkSize, ThreadFactory factory, Consumer<Chunk<R>> onChunk) throws InterruptedException {
        List<? extends T> source = items instanceof RandomAccess ? items : new ArrayList<>(items);
        int size = source.size();
        if (size == 0) {
            return;
        }
        int chunks = (int) ((size + (long) chunkSize - 1) / chunkSize);
        try (ExecutorService pool = Executors.newFixedThreadPool(Math.min(workers, chunks), factory)) {
            CompletionService<Chunk<R>> completed = new ExecutorCompletionService<>(pool);
            boolean finished = false;
            try {
                for (int start = 0; start < size; ) {
                    int from = start;
                    int to = (int) Math.min(size, (long) start + chunkSize);
                    completed.submit(() -> mapChunk(source, from, to, fn));
                    start = to;
                }
                for (int i = 0; i < chunks; i++) {
                    onChunk.accept(resultOf(completed.take()));
                }
                finished = true;
            } finally {
                if (!finished) {
                    pool.shutdownNow(); // queued chunks never start; running ones are interrupted
                }
            }
        } // close(): waits until every worker has ended
    }

    private static <T, R> Chunk<R> mapChunk(List<? extends T> items, int from, int to,
            Function<? super T, ? extends R> fn) {
        List<R> results = new ArrayList<>(to - from);
        for (int i = from; i < to; i++) {
            if (Thread.currentThread().isInterrupted()) {
                throw new CancellationException("chunk [" + from + ", " + to + ") cancelled before item " + i);
            }
            results.add(fn.apply(items.get(i)));
        }
        return new Chunk<>(from, results);
    }

    /** The value of a completed future, or what its task threw, as it was thrown. */
    private static <V> V resultOf(Future<V> done) throws InterruptedException {
        try {
            return done.get();
        } catch (ExecutionException e) {
            Throwable failure = e.getCause();
            if (failure instanceof RuntimeException unchecked) {
                throw unchecked;
            }
            if (failure instanceof Error error) {
                throw error;
            }
            throw new IllegalStateException("a task failed", failure);
        }
    }
}
