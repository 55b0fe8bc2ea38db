package parlab.stage2.counters;

import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.jetbrains.lincheck.datastructures.ModelCheckingOptions;
import org.jetbrains.lincheck.datastructures.Operation;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import parlab.testing.Checkers;

/**
 * Lost updates found deterministically: Lincheck's model checker runs small scenarios (two threads, two operations
 * each, then one more operation once both are done) under its own scheduler, switching threads at every shared
 * read and write, and compares every result with what some one-at-a-time order of the same operations would give.
 * A racy counter fails here every time. The canaries, run before all tests, prove the checker still finds the
 * races it must.
 *
 * <p>How to read a failure: Lincheck prints the scenario, the results that no sequential order explains, and the
 * interleaving step by step (which thread read which value, where it was switched out).
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES) // Lincheck's first check in a JVM can take 10-25 s on a loaded machine
class CountersModelCheckTest {

    /**
     * Two operations per thread, and one after both threads are done, so that a lost increment is always seen; every
     * result is compared with what {@code spec}, a plain one-thread implementation, gives in some sequential order.
     */
    private static ModelCheckingOptions checker(Class<?> spec) {
        return Checkers.modelChecking().actorsAfter(1).sequentialSpecification(spec);
    }

    /**
     * The canaries, first: a checker that no longer finds these known races would pass every answer, so when it
     * accepts one of them, no test here can be trusted and every test fails.
     */
    @BeforeAll
    @Timeout(value = 2, unit = TimeUnit.MINUTES)
    static void theCheckerRejectsARacyCounterAndARacyHistogram() {
        Checkers.assertRejects("a counter doing count++ on a volatile field",
                () -> checker(CounterSpec.class).check(RacyModel.class));
        Checkers.assertRejects("a histogram doing get-then-put on a ConcurrentHashMap",
                () -> checker(HistogramSpec.class).check(RacyHistogramModel.class));
    }

    @Test
    void theSynchronizedCounterLosesNoUpdateInAnyInterleaving() {
        checker(CounterSpec.class).check(SynchronizedModel.class);
    }

    @Test
    void theAtomicCounterLosesNoUpdateInAnyInterleaving() {
        checker(CounterSpec.class).check(AtomicModel.class);
    }

    @Test
    void theStripedCounterLosesNoUpdateEvenWhenAllThreadsShareOneCell() {
        checker(CounterSpec.class).check(StripedModel.class);
    }

    @Test
    void theHistogramLosesNoRecordAndItsSnapshotsAreConsistent() {
        checker(HistogramSpec.class).check(HistogramModel.class);
    }

    // The specifications: what one thread doing the operations one at a time must see.

    public static class CounterSpec {
        private long count;

        public void increment() {
            count++;
        }

        public long get() {
            return count;
        }
    }

    public static class HistogramSpec {
        private final TreeMap<Long, Long> counts = new TreeMap<>();

        public void recordInBucket0() {
            counts.merge(0L, 1L, Long::sum);
        }

        public void recordInBucket10() {
            counts.merge(10L, 1L, Long::sum);
        }

        public SortedMap<Long, Long> snapshot() {
            return new TreeMap<>(counts);
        }
    }

    // The scenarios: one public class per implementation, with the operations Lincheck mixes.

    public static class SynchronizedModel {
        private final Counter counter = new SynchronizedCounter();

        @Operation
        public void increment() {
            counter.increment();
        }

        @Operation
        public long get() {
            return counter.get();
        }
    }

    public static class AtomicModel {
        private final Counter counter = new AtomicCounter();

        @Operation
        public void increment() {
            counter.increment();
        }

        @Operation
        public long get() {
            return counter.get();
        }
    }

    /** One stripe: every thread lands on the same cell, which is where a plain add would lose updates. */
    public static class StripedModel {
        private final Counter counter = new StripedCounter(1);

        @Operation
        public void increment() {
            counter.increment();
        }

        @Operation
        public long get() {
            return counter.get();
        }
    }

    public static class RacyModel {
        private final Counter counter = new RacyCounter();

        @Operation
        public void increment() {
            counter.increment();
        }

        @Operation
        public long get() {
            return counter.get();
        }
    }

    /** Two buckets (0 and 10): a lost record shows in the counts, an inconsistent snapshot shows in the order. */
    public static class HistogramModel {
        private final Histogram histogram = new Histogram(10);

        @Operation
        public void recordInBucket0() {
            histogram.record(3);
        }

        @Operation
        public void recordInBucket10() {
            histogram.record(17);
        }

        @Operation
        public SortedMap<Long, Long> snapshot() {
            return histogram.snapshot();
        }
    }

    public static class RacyHistogramModel {
        private final RacyHistogram histogram = new RacyHistogram(10);

        @Operation
        public void recordInBucket0() {
            histogram.record(3);
        }

        @Operation
        public void recordInBucket10() {
            histogram.record(17);
        }

        @Operation
        public SortedMap<Long, Long> snapshot() {
            return histogram.snapshot();
        }
    }
}
