package parlab.stage2.counters;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * What each counter and the histogram do on one thread, and the stress test: the second line of defence behind the
 * model checks in {@link CountersModelCheckTest}. A stress test alone would catch a race only by luck.
 */
class CountersTest {
    private static final int THREADS = 8;
    private static final int INCREMENTS = 20_000;

    static Stream<Arguments> counters() {
        return Stream.of(
                Arguments.of("SynchronizedCounter", (Supplier<Counter>) SynchronizedCounter::new),
                Arguments.of("AtomicCounter", (Supplier<Counter>) AtomicCounter::new),
                Arguments.of("StripedCounter(4)", (Supplier<Counter>) () -> new StripedCounter(4)),
                Arguments.of("StripedCounter(1)", (Supplier<Counter>) () -> new StripedCounter(1)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("counters")
    void countsFromZeroOnOneThread(String name, Supplier<Counter> make) {
        Counter counter = make.get();
        assertThat(counter.get()).as("%s before any increment", name).isZero();
        for (int i = 0; i < 1000; i++) {
            counter.increment();
        }
        assertThat(counter.get()).as("%s after 1,000 increments on one thread", name).isEqualTo(1000);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("counters")
    void manyThreadsStartedTogetherLoseNoIncrement(String name, Supplier<Counter> make) throws InterruptedException {
        Counter counter = make.get();
        runTogether(THREADS, () -> {
            for (int i = 0; i < INCREMENTS; i++) {
                counter.increment();
            }
        });
        assertThat(counter.get()).as("%s after %d threads x %d increments", name, THREADS, INCREMENTS)
                .isEqualTo((long) THREADS * INCREMENTS);
    }

    @Test
    void aStripedCounterNeedsAtLeastOneStripe() {
        assertThatThrownBy(() -> new StripedCounter(0)).as("new StripedCounter(0)")
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("stripes");
    }

    @Test
    void oneThreadAlwaysAddsToTheSameCell() {
        StripedCounter counter = new StripedCounter(8);
        for (int i = 0; i < 500; i++) {
            counter.increment();
        }
        long[] cells = counter.cells();
        assertThat(cells).as("cells() of an 8-stripe counter: one entry per stripe").hasSize(8);
        assertThat(Arrays.stream(cells).filter(c -> c != 0).toArray())
                .as("non-empty cells after 500 increments by one thread (a thread keeps its cell): %s",
                        Arrays.toString(cells))
                .containsExactly(500);
    }

    @Test
    void severalThreadsSpreadOverSeveralCells() throws InterruptedException {
        StripedCounter counter = new StripedCounter(16);
        runTogether(THREADS, () -> {
            for (int i = 0; i < 1000; i++) {
                counter.increment();
            }
        });
        long[] cells = counter.cells();
        assertThat(Arrays.stream(cells).sum()).as("sum of cells() %s", Arrays.toString(cells))
                .isEqualTo(counter.get()).isEqualTo(THREADS * 1000L);
        assertThat(Arrays.stream(cells).filter(c -> c != 0).count())
                .as("cells used by %d threads on 16 stripes (a striped counter with one hot cell is an AtomicLong): %s",
                        THREADS, Arrays.toString(cells))
                .isGreaterThan(1);
    }

    @Test
    void aHistogramCountsEachValueInItsBucket() {
        Histogram histogram = new Histogram(10);
        for (long v : new long[] {0, 9, 10, 25, 29, -1, -10, -11, 1_000}) {
            histogram.record(v);
        }
        assertThat(histogram.snapshot()).as("buckets 10 wide: [0,10) has 0 and 9, [-10,0) has -1 and -10, ...")
                .containsExactly(Map.entry(-20L, 1L), Map.entry(-10L, 2L), Map.entry(0L, 2L), Map.entry(10L, 1L),
                        Map.entry(20L, 2L), Map.entry(1_000L, 1L));
    }

    @Test
    void aHistogramSnapshotIsAnUnmodifiableCopy() {
        Histogram histogram = new Histogram(5);
        assertThat(histogram.snapshot()).as("snapshot of an empty histogram").isEmpty();
        histogram.record(7);
        SortedMap<Long, Long> before = histogram.snapshot();
        histogram.record(7);
        histogram.record(12);
        assertThat(before).as("a snapshot taken before two more records (a copy, not a view)")
                .containsExactly(Map.entry(5L, 1L));
        assertThatThrownBy(() -> before.put(0L, 1L)).as("writing into a snapshot")
                .isInstanceOf(UnsupportedOperationException.class);
        assertThat(histogram.snapshot()).as("snapshot after the records").containsExactly(Map.entry(5L, 2L),
                Map.entry(10L, 1L));
    }

    @Test
    void aHistogramNeedsAPositiveWidth() {
        assertThatThrownBy(() -> new Histogram(0)).as("new Histogram(0)")
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("bucketWidth");
    }

    @Test
    void manyThreadsRecordingTogetherLoseNoRecord() throws InterruptedException {
        Histogram histogram = new Histogram(4);
        runTogether(THREADS, () -> {
            for (int i = 0; i < INCREMENTS; i++) {
                histogram.record(i % 16); // buckets 0, 4, 8, 12, equally often
            }
        });
        Map<Long, Long> expected = new TreeMap<>();
        for (long bucket = 0; bucket < 16; bucket += 4) {
            expected.put(bucket, (long) THREADS * INCREMENTS / 4);
        }
        assertThat(histogram.snapshot()).as("histogram after %d threads x %d records", THREADS, INCREMENTS)
                .isEqualTo(expected);
    }

    /** Starts {@code n} threads that wait at one gate, opens it, and joins them all; rethrows a worker's failure. */
    static void runTogether(int n, Runnable work) throws InterruptedException {
        CountDownLatch gate = new CountDownLatch(1);
        List<Throwable> failures = java.util.Collections.synchronizedList(new ArrayList<>());
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            threads.add(Thread.ofPlatform().name("stress-" + i).start(() -> {
                try {
                    gate.await();
                    work.run();
                } catch (Throwable t) {
                    failures.add(t);
                }
            }));
        }
        gate.countDown();
        for (Thread thread : threads) {
            thread.join();
        }
        if (!failures.isEmpty()) {
            Throwable first = failures.getFirst();
            if (first instanceof RuntimeException unchecked) {
                throw unchecked;
            }
            throw new AssertionError("a stress thread failed", first);
        }
    }
}
