package parlab.stage2.profiling;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import org.jetbrains.lincheck.datastructures.ManagedStrategyGuaranteeKt;
import org.jetbrains.lincheck.datastructures.ModelCheckingOptions;
import org.jetbrains.lincheck.datastructures.Operation;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import parlab.testing.Checkers;

/**
 * Lost hits found deterministically: Lincheck's model checker runs small scenarios (two threads, two operations
 * each, then one more after both) under its own scheduler, switching threads at every shared read and write, and
 * compares every result with what some one-at-a-time order of the same operations gives. A counter that reads a
 * count and writes it back in two steps fails here every time; the canary, run first, proves that the checker still
 * finds that.
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES) // Lincheck's first check in a JVM can take 10-25 s on a loaded machine
class ConcurrentHitCounterModelCheckTest {

    /**
     * Two operations per thread and one after both; the JDK's concurrent classes are trusted: each call on a
     * {@link ConcurrentHashMap}, a {@link LongAdder} or an atomic is treated as one indivisible step, which keeps the
     * search on how your code combines them (and a check to seconds instead of minutes). A plain {@code HashMap} is
     * not trusted, and its races are found.
     */
    private static ModelCheckingOptions checker() {
        return Checkers.modelChecking().actorsAfter(1).sequentialSpecification(Spec.class)
                .addGuarantee(ManagedStrategyGuaranteeKt.forClasses(ConcurrentHashMap.class.getName(),
                        LongAdder.class.getName(), AtomicLong.class.getName()).allMethods().treatAsAtomic());
    }

    @BeforeAll
    @Timeout(value = 2, unit = TimeUnit.MINUTES)
    static void theCheckerRejectsACounterThatReadsThenWrites() {
        Checkers.assertRejects("a hit counter doing get-then-put on a ConcurrentHashMap",
                () -> checker().check(RacyModel.class));
    }

    @Test
    void noHitIsLostInAnyInterleaving() {
        Checkers.check(FixedModel.class, checker());
    }

    /** What one thread doing the operations one at a time must see. */
    public static class Spec {
        private final Map<String, Long> counts = new HashMap<>();

        public void hitA() {
            counts.merge("a", 1L, Long::sum);
        }

        public void hitB() {
            counts.merge("b", 1L, Long::sum);
        }

        public long hitsA() {
            return counts.getOrDefault("a", 0L);
        }

        public long hitsB() {
            return counts.getOrDefault("b", 0L);
        }
    }

    /** Two keys: hits of one key race each other; hits of two keys race for the map itself. */
    public static class FixedModel {
        private final HitCounter<String> counter = new ConcurrentHitCounter<>();

        @Operation
        public void hitA() {
            counter.hit("a");
        }

        @Operation
        public void hitB() {
            counter.hit("b");
        }

        @Operation
        public long hitsA() {
            return counter.hits("a");
        }

        @Operation
        public long hitsB() {
            return counter.hits("b");
        }
    }

    public static class RacyModel {
        private final HitCounter<String> counter = new RacyHitCounter<>();

        @Operation
        public void hitA() {
            counter.hit("a");
        }

        @Operation
        public void hitB() {
            counter.hit("b");
        }

        @Operation
        public long hitsA() {
            return counter.hits("a");
        }

        @Operation
        public long hitsB() {
            return counter.hits("b");
        }
    }
}
