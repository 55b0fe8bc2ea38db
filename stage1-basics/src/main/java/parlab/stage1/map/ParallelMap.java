package parlab.stage1.map;

import java.util.List;
import java.util.concurrent.Executors;
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
        // TODO: reject bad arguments before anything else
        // TODO: one task per chunk of chunkSize consecutive items, on a pool of threads from the factory
        // TODO: put each chunk's results at their own indexes as the tasks complete, not in submission order
        // TODO: on the first failure stop the other tasks and rethrow what fn threw; never leave the pool running
        throw new UnsupportedOperationException("TODO: map");
    }

    /** Gives {@code onResult}, on the calling thread, each result of {@code fn} as soon as its task completes. */
    public static <T, R> void mapUnordered(List<? extends T> items, Function<? super T, ? extends R> fn, int workers,
            int chunkSize, ThreadFactory factory, Consumer<? super R> onResult) throws InterruptedException {
        // TODO: the same tasks and pool as map, but hand each finished chunk's results to onResult at once
        throw new UnsupportedOperationException("TODO: mapUnordered");
    }
}
