package parlab.stage2.arrays;

import java.util.List;
import java.util.function.IntToLongFunction;

/**
 * s2e04 · Shared arrays between threads.
 *
 * <p>Threads share the heap, so the simplest way to compute an array in parallel is to let every thread write
 * straight into it. That needs no lock at all as long as no two threads ever write the same element: a partition of
 * the indices into disjoint ranges, one per thread. The caller sees every element after {@code join()}, because
 * everything a thread did happens-before another thread's return from {@code join()} on it. When the writes do
 * collide, as in a histogram where any thread may count into any bucket, each element must be updated atomically:
 * {@code AtomicLongArray}. And when the slots are disjoint but <em>adjacent</em>, they are correct but may be slow:
 * eight longs share one 64-byte cache line, and two cores writing the same line take turns owning it (false
 * sharing). This exercise builds all three: {@link #partition}, {@link #fillParallel}, {@link AtomicHistogram}
 * with {@link #histogramParallel}, and {@link PerThreadCounters}, padded and unpadded.
 *
 * <p>The contract, which the tests pin down:
 * <ul>
 *   <li>{@code partition(length, parts)} returns {@code min(parts, length)} ranges, in ascending order, contiguous
 *       (each starts where the previous one ends), covering exactly {@code [0, length)}, whose sizes differ by at most
 *       one; {@code parts < 1} or {@code length < 0} is an {@link IllegalArgumentException};
 *   <li>{@code fillParallel(target, threads, f)} sets {@code target[i] = f(i)} for every index, with one new thread
 *       per range of {@code partition(target.length, threads)}, each writing exactly its range and nothing else, all
 *       joined before it returns; a worker's exception reaches the caller (the same object for an unchecked one);
 *   <li>{@link AtomicHistogram} loses no count however threads interleave (the tests model-check it, so a racy
 *       {@code long[]} fails every time), and {@code histogramParallel(values, buckets, threads)} counts every value
 *       exactly once, each thread taking the values of one range of the partition;
 *   <li>{@link PerThreadCounters}: slot {@code t} belongs to thread {@code t} alone (no lock, no atomic), slots are
 *       {@code spacing} longs apart; after {@code countInParallel} every slot holds exactly its thread's count.
 * </ul>
 *
 * <p>Baseline experiment: {@code ./lab bench shared-arrays} runs two threads, each adding to its own counter:
 * adjacent in one {@code long[]} (the baseline), then 16 longs apart. Same work, same result, no shared data at all;
 * only the memory layout differs.
 *
 * <p>Things to think about: why is a plain {@code long[]} safe for {@link #fillParallel} but not for the histogram?
 * Would {@code volatile} help the histogram? Why 16 longs apart rather than 8, when a cache line is 64 bytes?
 */
public final class SharedArrays {
    private SharedArrays() {
    }

    /** Splits {@code [0, length)} into {@code min(parts, length)} contiguous ranges whose sizes differ by at most one. */
    public static List<Range> partition(int length, int parts) {
        // TODO: validate the arguments
        // TODO: give every range length / n indices, and one more to the first length % n ranges
        throw new UnsupportedOperationException("TODO: partition");
    }

    /** Sets {@code target[i] = f.applyAsLong(i)} for every index, one thread per range of the partition. */
    public static void fillParallel(long[] target, int threads, IntToLongFunction f) {
        // TODO: start one platform thread per range of partition(target.length, threads); each writes only its range
        // TODO: join every thread, then rethrow a worker's failure
        throw new UnsupportedOperationException("TODO: fillParallel");
    }

    /**
     * Counts the values (each in {@code [0, buckets)}) into one shared {@link AtomicHistogram}, one thread per range
     * of {@code partition(values.length, threads)}.
     */
    public static AtomicHistogram histogramParallel(int[] values, int buckets, int threads) {
        // TODO: one histogram shared by all threads; each thread records the values of its own range
        // TODO: join every thread before returning the histogram; rethrow a worker's failure
        throw new UnsupportedOperationException("TODO: histogramParallel");
    }
}
