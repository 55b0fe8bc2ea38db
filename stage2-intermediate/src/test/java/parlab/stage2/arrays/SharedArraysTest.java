package parlab.stage2.arrays;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicIntegerArray;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import parlab.testing.Threads;

/** Partitions, writes into one shared array, the histogram filled by several threads, and the per-thread counters. */
class SharedArraysTest {

    @ParameterizedTest(name = "length {0} in {1} parts")
    @CsvSource({"10, 3", "10, 1", "7, 7", "3, 8", "1000, 4", "1001, 4", "11, 4", "1003, 4", "0, 3", "5, 2"})
    void aPartitionIsContiguousCompleteAndBalanced(int length, int parts) {
        List<Range> ranges = SharedArrays.partition(length, parts);
        assertThat(ranges).as("number of ranges for length %d and %d parts", length, parts)
                .hasSize(Math.min(length, parts));
        int expectedFrom = 0;
        for (Range range : ranges) {
            assertThat(range.from()).as("start of %s in %s (each range starts where the previous one ends)",
                    range, ranges).isEqualTo(expectedFrom);
            assertThat(range.size()).as("size of %s in %s", range, ranges).isPositive();
            expectedFrom = range.to();
        }
        assertThat(expectedFrom).as("end of the last range in %s (the partition covers [0, %d))", ranges, length)
                .isEqualTo(length);
        if (!ranges.isEmpty()) {
            int min = ranges.stream().mapToInt(Range::size).min().orElseThrow();
            int max = ranges.stream().mapToInt(Range::size).max().orElseThrow();
            assertThat(max - min).as("largest minus smallest range size in %s", ranges).isLessThanOrEqualTo(1);
        }
    }

    @Test
    void badPartitionArgumentsAreRejected() {
        assertThatThrownBy(() -> SharedArrays.partition(10, 0)).as("partition(10, 0)")
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("parts");
        assertThatThrownBy(() -> SharedArrays.partition(-1, 2)).as("partition(-1, 2)")
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("length");
    }

    @ParameterizedTest(name = "{0} elements on {1} threads")
    @CsvSource({"1000, 1", "1000, 3", "100001, 4", "5, 8", "0, 2"})
    void aParallelFillEqualsTheSequentialOne(int length, int threads) {
        long[] expected = new long[length];
        for (int i = 0; i < length; i++) {
            expected[i] = (long) i * i - 7;
        }
        long[] actual = new long[length];
        SharedArrays.fillParallel(actual, threads, i -> (long) i * i - 7);
        assertThat(actual).as("fillParallel over %d elements with %d threads", length, threads).isEqualTo(expected);
    }

    @Test
    void eachThreadWritesExactlyOneRangeOfThePartition() {
        int length = 1000;
        int threads = 3;
        Thread[] writer = new Thread[length]; // element i is written by the one thread that computes it
        AtomicIntegerArray computed = new AtomicIntegerArray(length); // how often element i was computed
        SharedArrays.fillParallel(new long[length], threads, i -> {
            computed.incrementAndGet(i);
            writer[i] = Thread.currentThread();
            return i;
        });
        Map<Thread, List<Integer>> indicesBy = new LinkedHashMap<>();
        for (int i = 0; i < length; i++) {
            assertThat(computed.get(i)).as("times element %d was computed (ranges must not overlap)", i).isEqualTo(1);
            indicesBy.computeIfAbsent(writer[i], t -> new ArrayList<>()).add(i);
        }
        assertThat(indicesBy.keySet()).as("threads that wrote the array").hasSize(threads)
                .doesNotContain(Thread.currentThread())
                .as("threads still alive after fillParallel returned (every thread must be joined)")
                .noneMatch(Threads::stillAlive);
        List<Range> written = new ArrayList<>();
        for (List<Integer> indices : indicesBy.values()) {
            written.add(new Range(indices.getFirst(), indices.getLast() + 1));
            assertThat(indices).as("indices written by one thread: one contiguous block")
                    .hasSize(indices.getLast() - indices.getFirst() + 1);
        }
        written.sort((a, b) -> Integer.compare(a.from(), b.from()));
        assertThat(written).as("the ranges the threads wrote").isEqualTo(SharedArrays.partition(length, threads));
    }

    @Test
    void aWorkersExceptionReachesTheCaller() {
        IllegalStateException boom = new IllegalStateException("boom at 700");
        assertThatThrownBy(() -> SharedArrays.fillParallel(new long[1000], 4, i -> {
            if (i == 700) {
                throw boom;
            }
            return i;
        })).as("the exception thrown inside a worker, rethrown to the caller").isSameAs(boom);
    }

    @Test
    void anAtomicHistogramCountsOnOneThread() {
        AtomicHistogram histogram = new AtomicHistogram(4);
        for (int b : new int[] {0, 3, 3, 1, 3}) {
            histogram.record(b);
        }
        assertThat(histogram.counts()).as("counts after recording 0, 3, 3, 1, 3").containsExactly(1, 1, 0, 3);
        assertThat(histogram.count(3)).as("count(3)").isEqualTo(3);
        assertThatThrownBy(() -> histogram.record(4)).as("record(4) on 4 buckets")
                .isInstanceOf(IndexOutOfBoundsException.class);
        assertThatThrownBy(() -> new AtomicHistogram(0)).as("new AtomicHistogram(0)")
                .isInstanceOf(IllegalArgumentException.class);
    }

    @ParameterizedTest(name = "{0} threads")
    @CsvSource({"1", "2", "4", "8"})
    void aHistogramFilledByManyThreadsIsExact(int threads) {
        int buckets = 4; // few buckets: the threads collide all the time
        int[] values = new SplittableRandom(42).ints(200_000, 0, buckets).toArray();
        long[] expected = new long[buckets];
        for (int v : values) {
            expected[v]++;
        }
        AtomicHistogram histogram = SharedArrays.histogramParallel(values, buckets, threads);
        assertThat(histogram.counts()).as("histogram of 200,000 values filled by %d threads", threads)
                .isEqualTo(expected);
    }

    @Test
    void paddedSlotsAre128BytesApartAndUnpaddedOnesAdjacent() {
        PerThreadCounters padded = new PerThreadCounters(3, PerThreadCounters.PADDED);
        PerThreadCounters unpadded = new PerThreadCounters(3, PerThreadCounters.UNPADDED);
        assertThat(new int[] {padded.slotIndex(0), padded.slotIndex(1), padded.slotIndex(2)})
                .as("array indices of the padded slots").containsExactly(0, 16, 32);
        assertThat(new int[] {unpadded.slotIndex(0), unpadded.slotIndex(1), unpadded.slotIndex(2)})
                .as("array indices of the unpadded slots").containsExactly(0, 1, 2);
        assertThatThrownBy(() -> padded.slotIndex(3)).as("slotIndex(3) with 3 threads")
                .isInstanceOf(IndexOutOfBoundsException.class);
        assertThatThrownBy(() -> new PerThreadCounters(0, 1)).as("new PerThreadCounters(0, 1)")
                .isInstanceOf(IllegalArgumentException.class);
    }

    @ParameterizedTest(name = "spacing {0}")
    @CsvSource({"1", "16", "3"})
    void everyThreadsCountEndsUpInItsOwnSlot(int spacing) {
        PerThreadCounters counters = new PerThreadCounters(4, spacing);
        counters.countInParallel(100_000);
        assertThat(new long[] {counters.get(0), counters.get(1), counters.get(2), counters.get(3)})
                .as("each slot after 4 threads added 1 to their own slot 100,000 times")
                .containsExactly(100_000, 100_000, 100_000, 100_000);
    }
}
