package parlab.stage2.arrays;

import java.util.concurrent.TimeUnit;
import org.jetbrains.lincheck.datastructures.ModelCheckingOptions;
import org.jetbrains.lincheck.datastructures.Operation;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import parlab.testing.Checkers;

/**
 * The histogram's counts under every interleaving Lincheck's model checker tries: two threads recording into two
 * buckets (often the same one), and a read once both are done; every result is compared with a plain one-thread
 * histogram. A racy {@code long[]} fails every time; the canary proves the checker still sees it.
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES) // Lincheck's first check in a JVM can take 10-25 s on a loaded machine
class AtomicHistogramModelCheckTest {

    private static ModelCheckingOptions checker() {
        return Checkers.modelChecking().actorsAfter(1).sequentialSpecification(Spec.class);
    }

    @Test
    void concurrentRecordsIntoOneBucketAreAllCounted() {
        checker().check(Model.class);
    }

    /** The canary, first: if the checker accepts this known race, its verdict below means nothing. */
    @BeforeAll
    @Timeout(value = 2, unit = TimeUnit.MINUTES)
    static void theCheckerRejectsARacyLongArrayHistogram() {
        Checkers.assertRejects("a histogram doing counts[b]++ on a plain long[]",
                () -> checker().check(RacyModel.class));
    }

    /** What one thread doing the operations one at a time must see. */
    public static class Spec {
        private final long[] counts = new long[2];

        public void record0() {
            counts[0]++;
        }

        public void record1() {
            counts[1]++;
        }

        public long count0() {
            return counts[0];
        }

        public long count1() {
            return counts[1];
        }
    }

    public static class Model {
        private final AtomicHistogram histogram = new AtomicHistogram(2);

        @Operation
        public void record0() {
            histogram.record(0);
        }

        @Operation
        public void record1() {
            histogram.record(1);
        }

        @Operation
        public long count0() {
            return histogram.count(0);
        }

        @Operation
        public long count1() {
            return histogram.count(1);
        }
    }

    public static class RacyModel {
        private final RacyArrayHistogram histogram = new RacyArrayHistogram(2);

        @Operation
        public void record0() {
            histogram.record(0);
        }

        @Operation
        public void record1() {
            histogram.record(1);
        }

        @Operation
        public long count0() {
            return histogram.count(0);
        }

        @Operation
        public long count1() {
            return histogram.count(1);
        }
    }
}
