package parlab.stage3.manyworkers;

import java.util.Iterator;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.LongUnaryOperator;

/**
 * s3e12 · Running 10–20 CPU workers safely, reference solution.
 *
 * <p>Concurrency contract: the caller's thread is the only producer; it owns the iterator and is the only one to
 * call {@code next()}. Between it and the workers sits an {@link ArrayBlockingQueue} of {@code capacity}: a full
 * queue blocks the producer, so at most {@code capacity} units wait at any time, however fast the source. Each
 * worker owns its slot {@code i} of {@code sums} and {@code counts}, written by it alone and read by the caller
 * only after {@code join()} (a happens-before edge). {@code failure} holds the first worker failure: from then on
 * the producer pulls nothing more, and every worker only drains the queue (so that the producer is never stuck
 * in {@code put}) until its {@link #STOP}.
 *
 * <p>Every worker takes one unit at a time and holds no lock while it computes, so the kernel's scheduler shares
 * the cores among all of them and each makes steady progress. The run ends with one {@link #STOP} per worker
 * (a "poison pill"), queued behind the last real unit.
 *
 * <p>Other ways: a {@code ThreadPoolExecutor} with an {@code ArrayBlockingQueue} and {@code CallerRunsPolicy}
 * bounds the queue too, but then the producer itself computes some units; a {@code Semaphore} of
 * {@code capacity} permits around {@code submit} bounds any executor. On 2 cores none of them makes 16 workers
 * faster than 2 ({@code ./lab bench many-workers}): they make 16 workers safe.
 */
public final class ManyWorkers {
    /** The end-of-work marker: one per worker, compared by identity. */
    private static final Object STOP = new Object();

    private ManyWorkers() {
    }

    /**
     * Runs {@code work} on every unit of {@code units} on {@code workers} threads made by {@code factory}, with
     * at most {@code capacity} units waiting between the caller and the workers, and returns the sum of the
     * results and the units each worker did.
     */
    public static Outcome run(Iterator<Long> units, int workers, int capacity, ThreadFactory factory,
            LongUnaryOperator work) throws InterruptedException {
        if (workers < 1) {
            throw new IllegalArgumentException("workers must be at least 1, not " + workers);
        }
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be at least 1, not " + capacity);
        }
        BlockingQueue<Object> queue = new ArrayBlockingQueue<>(capacity);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        long[] sums = new long[workers];
        long[] counts = new long[workers];
        Thread[] threads = new Thread[workers];
        for (int i = 0; i < workers; i++) {
            int slot = i;
            threads[i] = factory.newThread(() -> work(queue, work, failure, sums, counts, slot));
        }
        for (Thread thread : threads) {
            thread.start();
        }
        boolean finished = false;
        try {
            while (failure.get() == null && units.hasNext()) {
                queue.put(units.next());
            }
            for (int i = 0; i < workers; i++) {
                queue.put(STOP); // behind the last unit; workers that failed keep draining until theirs
            }
            finished = true;
        } finally {
            if (!finished) {
                for (Thread thread : threads) {
                    thread.interrupt(); // the caller was interrupted or the source failed: stop them now
                }
            }
            joinAll(threads);
        }
        Throwable failed = failure.get();
        if (failed instanceof RuntimeException e) {
            throw e;
        }
        if (failed instanceof Error e) {
            throw e;
        }
        long sum = 0;
        for (long s : sums) {
            sum += s;
        }
        return new Outcome(sum, counts);
    }

    private static void work(BlockingQueue<Object> queue, LongUnaryOperator work, AtomicReference<Throwable> failure,
            long[] sums, long[] counts, int slot) {
        long sum = 0;
        long count = 0;
        try {
            while (true) {
                Object unit = queue.take();
                if (unit == STOP) {
                    break;
                }
                if (failure.get() != null) {
                    continue; // the run has failed: drain the queue (so the producer never blocks) but do no work
                }
                try {
                    sum += work.applyAsLong((Long) unit);
                    count++;
                } catch (RuntimeException | Error e) {
                    failure.compareAndSet(null, e);
                }
            }
        } catch (InterruptedException e) {
            // the run is being stopped: leave quietly
        } finally {
            sums[slot] = sum;
            counts[slot] = count;
        }
    }

    /** Waits for every thread, even if interrupted meanwhile; the interrupt is kept for the caller. */
    private static void joinAll(Thread[] threads) {
        boolean interrupted = false;
        for (Thread thread : threads) {
            while (true) {
                try {
                    thread.join();
                    break;
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}
