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
 * <p>Things to think about: how do you split 10 items over 3 threads so that no item is lost or counted twice?
 * How does a result computed on a worker thread get back to the caller safely? (Thread.join() is a
 * happens-before edge: everything the worker wrote is visible after join returns.)
 */
public final class ParallelLoops {
    private ParallelLoops() {
    }

    /** The sum of {@code term(i)} over {@code [from, to)}, computed by up to {@code threads} threads. */
    public static long parallelSum(long from, long to, int threads, ThreadFactory factory, LongUnaryOperator term) {
        // TODO: validate the arguments
        // TODO: split [from, to) into min(threads, to - from) contiguous blocks whose sizes differ by at most one
        // TODO: start one thread per block with factory.newThread(...), join them all, add up the partial sums
        // TODO: if a worker failed, rethrow its exception after every thread has ended
        throw new UnsupportedOperationException("TODO: parallelSum");
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
