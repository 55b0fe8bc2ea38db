package parlab.stage1.loops;

import java.util.concurrent.ThreadFactory;
import java.util.function.LongUnaryOperator;

/**
 * s1e01 · Parallel loops by hand.
 *
 * <p>The oldest way to use every core: cut the loop's range into one contiguous block per thread, start the
 * threads, wait for each with {@code join()}, and add up their partial results. No pool, no framework: just
 * {@link Thread#start()} and {@link Thread#join()}, which is exactly what a pool does for you later (s1e02).
 *
 * <p>The contract of {@link #parallelSum}, which the tests pin down:
 * <ul>
 *   <li>the result equals the sequential sum of {@code term(i)} for every {@code i} in {@code [from, to)};
 *   <li>it uses exactly {@code min(threads, to - from)} threads, each made by the given {@link ThreadFactory}
 *       (never {@code new Thread} directly), and none for an empty range;
 *   <li>every thread it started has ended when it returns or throws;
 *   <li>if a worker throws, the caller gets that exception (the same object, for an unchecked one) once all
 *       workers are done; a checked failure is never swallowed;
 *   <li>{@code threads < 1} or {@code from > to} is an {@link IllegalArgumentException} that says what was wrong.
 * </ul>
 *
 * <p>Baseline experiment: the sequential loop is in {@link #sequentialSum}. Time both in {@code ./lab bench
 * parallel-loops}: with 2 cores, the parallel version should take a little over half the time.
 *
 * <p>Reference solution. Each worker writes only its own slot of {@code partial} and {@code failure}; the
 * caller reads them after {@code join()}, which is a happens-before edge, so no lock and no volatile is needed.
 *
 * <p>Other ways: an {@code ExecutorService} with {@code invokeAll} (s1e02) does the start/join bookkeeping for
 * you; {@code LongStream.range(from, to).parallel().map(term).sum()} hands the splitting to the common
 * ForkJoinPool. Contiguous blocks are the cheapest split but suffer when work per item is uneven (the primes near
 * {@code to} cost more than those near {@code from}); s2e09 measures static against dynamic scheduling.
 */
public final class ParallelLoops {
    private ParallelLoops() {
    }

    /** The sum of {@code term(i)} over {@code [from, to)}, computed by up to {@code threads} threads. */
    public static long parallelSum(long from, long to, int threads, ThreadFactory factory, LongUnaryOperator term) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be at least 1, was " + threads);
        }
        if (from > to) {
            throw new IllegalArgumentException("empty range must have from <= to, was [" + from + ", " + to + ")");
        }
        long items = to - from;
        int workers = (int) Math.min(threads, items);
        long[] partial = new long[workers];          // slot i is written only by worker i, read after join
        Throwable[] failure = new Throwable[workers]; // likewise
        Thread[] started = new Thread[workers];
        long base = workers == 0 ? 0 : items / workers;
        long extra = workers == 0 ? 0 : items % workers; // the first `extra` blocks get one item more
        long start = from;
        for (int w = 0; w < workers; w++) {
            long blockStart = start;
            long blockEnd = blockStart + base + (w < extra ? 1 : 0);
            int slot = w;
            started[w] = factory.newThread(() -> {
                try {
                    partial[slot] = sequentialSum(blockStart, blockEnd, term);
                } catch (Throwable t) {
                    failure[slot] = t;
                }
            });
            started[w].start();
            start = blockEnd;
        }
        joinAll(started);
        long sum = 0;
        for (int w = 0; w < workers; w++) {
            if (failure[w] != null) {
                throw rethrow(failure[w]);
            }
            sum += partial[w];
        }
        return sum;
    }

    /** Joins every thread even when interrupted, so that none outlives the call; re-asserts the interrupt. */
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

    private static RuntimeException rethrow(Throwable failure) {
        if (failure instanceof RuntimeException unchecked) {
            return unchecked;
        }
        if (failure instanceof Error error) {
            throw error;
        }
        return new IllegalStateException("a worker failed", failure);
    }

    /** The sum of {@code i * i} over {@code [from, to)}. */
    public static long sumOfSquares(long from, long to, int threads, ThreadFactory factory) {
        return parallelSum(from, to, threads, factory, i -> i * i);
    }

    /** The number of primes in {@code [from, to)}. */
    public static long countPrimes(long from, long to, int threads, ThreadFactory factory) {
        return parallelSum(from, to, threads, factory, i -> isPrime(i) ? 1 : 0);
    }

    /** The baseline: one thread, one loop. */
    public static long sequentialSum(long from, long to, LongUnaryOperator term) {
        long sum = 0;
        for (long i = from; i < to; i++) {
            sum += term.applyAsLong(i);
        }
        return sum;
    }

    /** Trial division: slow on purpose, so that the loop has real work to share out. */
    public static boolean isPrime(long n) {
        if (n < 2) {
            return false;
        }
        if (n % 2 == 0) {
            return n == 2;
        }
        for (long d = 3; d * d <= n; d += 2) {
            if (n % d == 0) {
                return false;
            }
        }
        return true;
    }
}
