package parlab.stage2.arrays;

import java.util.ArrayList;
import java.util.List;
import java.util.function.IntConsumer;
import java.util.function.IntToLongFunction;

/**
 * s2e04 · Shared arrays between threads.
 *
 * <p>The contract, which the tests pin down:
 * <ul>
 *   <li>{@code partition(length, parts)} returns {@code min(parts, length)} ranges, in ascending order, contiguous
 *       (each starts where the previous one ends), covering exactly {@code [0, length)}, whose sizes differ by at most
 *       one; {@code parts < 1} or {@code length < 0} is an {@link IllegalArgumentException};
 *   <li>{@code fillParallel(target, threads, f)} sets {@code target[i] = f(i)} for every index, with one new thread
 *       per range of {@code partition(target.length, threads)}, each writing exactly its range and nothing else, all
 *       joined before it returns; a worker's exception reaches the caller (the same object for an unchecked one);
 *   <li>{@link AtomicHistogram} loses no count however threads interleave, and
 *       {@code histogramParallel(values, buckets, threads)} counts every value exactly once, each thread taking the
 *       values of one range of the partition;
 *   <li>{@link PerThreadCounters}: slot {@code t} belongs to thread {@code t} alone, slots are {@code spacing} longs
 *       apart; after {@code countInParallel} every slot holds exactly its thread's count.
 * </ul>
 *
 * <p>Reference solution. {@link #partition} gives each range {@code length / n} indices and the first
 * {@code length % n} ranges one more. {@link #fillParallel} writes a plain {@code long[]} from several threads with
 * no lock and no volatile: the ranges are disjoint, so there is no data race, and {@code join()} makes every write
 * visible to the caller. {@link #histogramParallel} is the opposite case: any thread may hit any bucket, so the
 * buckets are an {@code AtomicLongArray} and each record is one atomic add. Both share one helper that starts a
 * platform thread per range, joins them all (even when interrupted, re-asserting the interrupt) and rethrows the
 * first failure.
 *
 * <p>Other ways: a histogram with one private {@code long[]} per thread, added up after the joins, needs no atomics
 * at all and scales better when buckets are few and hot (every thread hammering the same bucket is an
 * {@code AtomicLong} under contention again); it costs {@code buckets} longs per thread and a merge.
 * {@code Arrays.parallelSetAll(target, f)} does {@link #fillParallel} on the common ForkJoinPool.
 */
public final class SharedArrays {
    private SharedArrays() {
    }

    /** Splits {@code [0, length)} into {@code min(parts, length)} contiguous ranges whose sizes differ by at most one. */
    public static List<Range> partition(int length, int parts) {
        if (parts < 1) {
            throw new IllegalArgumentException("parts must be at least 1, was " + parts);
        }
        if (length < 0) {
            throw new IllegalArgumentException("length must not be negative, was " + length);
        }
        int n = Math.min(parts, length);
        List<Range> ranges = new ArrayList<>(n);
        int from = 0;
        for (int k = 0; k < n; k++) {
            int to = from + length / n + (k < length % n ? 1 : 0);
            ranges.add(new Range(from, to));
            from = to;
        }
        return List.copyOf(ranges);
    }

    /** Sets {@code target[i] = f.applyAsLong(i)} for every index, one thread per range of the partition. */
    public static void fillParallel(long[] target, int threads, IntToLongFunction f) {
        forEachInParallel(partition(target.length, threads), i -> target[i] = f.applyAsLong(i));
    }

    /**
     * Counts the values (each in {@code [0, buckets)}) into one shared {@link AtomicHistogram}, one thread per range
     * of {@code partition(values.length, threads)}.
     */
    public static AtomicHistogram histogramParallel(int[] values, int buckets, int threads) {
        AtomicHistogram histogram = new AtomicHistogram(buckets);
        forEachInParallel(partition(values.length, threads), i -> histogram.record(values[i]));
        return histogram;
    }

    /** Runs {@code body} for every index, one platform thread per range; all joined; the first failure rethrown. */
    private static void forEachInParallel(List<Range> ranges, IntConsumer body) {
        Throwable[] failure = new Throwable[ranges.size()]; // slot k written only by thread k, read after join
        List<Thread> threads = new ArrayList<>(ranges.size());
        for (int k = 0; k < ranges.size(); k++) {
            Range range = ranges.get(k);
            int slot = k;
            threads.add(Thread.ofPlatform().name("array-worker-" + k).start(() -> {
                try {
                    for (int i = range.from(); i < range.to(); i++) {
                        body.accept(i);
                    }
                } catch (Throwable t) {
                    failure[slot] = t;
                }
            }));
        }
        joinAll(threads);
        for (Throwable t : failure) {
            if (t instanceof RuntimeException unchecked) {
                throw unchecked;
            }
            if (t instanceof Error error) {
                throw error;
            }
            if (t != null) {
                throw new IllegalStateException("a worker failed", t);
            }
        }
    }

    /** Joins every thread even when interrupted, so that none outlives the call; re-asserts the interrupt. */
    static void joinAll(List<Thread> threads) {
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
