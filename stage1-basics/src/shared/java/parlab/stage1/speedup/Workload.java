package parlab.stage1.speedup;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * The task measured twice, once by {@link Speedup#main} with the harness and once by {@code SpeedupBenchmark} with
 * JMH: hash every element of an array a few times and add up the results, sequentially or with a parallel stream.
 *
 * <p>A plain sum of an array would be a poor example: it is limited by memory bandwidth, not by the cores, and
 * runs no faster on two threads than on one. A few multiplications per element make the work CPU-bound.
 */
public final class Workload {
    /** Elements in the array: about 30 ms of sequential work on one core of the project's machines. */
    public static final int SIZE = 2_000_000;

    private Workload() {
    }

    /** The same pseudo-random array for a given seed, every time. */
    public static long[] data(int size, long seed) {
        return new SplittableRandom(seed).longs(size).toArray();
    }

    /** The baseline: one thread. */
    public static long sequentialSum(long[] data) {
        return Arrays.stream(data).map(Workload::cost).sum();
    }

    /** The candidate: the same stream, split over the common ForkJoinPool. */
    public static long parallelSum(long[] data) {
        return Arrays.stream(data).parallel().map(Workload::cost).sum();
    }

    /** Eight rounds of the SplitMix64 finaliser, cut to 10 bits so that the sum cannot overflow. */
    static long cost(long value) {
        long z = value;
        for (int round = 0; round < 8; round++) {
            z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
            z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
            z = z ^ (z >>> 31);
        }
        return z & 1023;
    }
}
