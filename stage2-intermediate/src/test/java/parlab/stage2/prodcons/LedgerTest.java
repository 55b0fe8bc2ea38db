package parlab.stage2.prodcons;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.TimeUnit;
import org.jetbrains.lincheck.datastructures.IntGen;
import org.jetbrains.lincheck.datastructures.ModelCheckingOptions;
import org.jetbrains.lincheck.datastructures.Operation;
import org.jetbrains.lincheck.datastructures.Param;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import parlab.testing.Checkers;

/**
 * The ledger, checked deterministically: Lincheck's model checker runs small scenarios of ledger calls from two
 * threads in many interleavings and fails if any outcome is impossible for calls made one at a time. A racy ledger
 * fails every time, not by luck. The same checker first has to reject a known-broken ledger (the canary).
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES) // Lincheck's first check in a JVM can take 10-25 s on a busy machine
class LedgerTest {

    @Test
    void oneThreadSeesTheAccountingRules() {
        Ledger ledger = new Ledger();
        assertThat(ledger.consumed(7)).as("consuming id 7, never produced").isFalse();
        assertThat(ledger.produced(7)).as("producing id 7 the first time").isTrue();
        assertThat(ledger.produced(7)).as("producing id 7 again").isFalse();
        assertThat(ledger.consumed(7)).as("consuming id 7 the first time").isTrue();
        assertThat(ledger.consumed(7)).as("consuming id 7 again").isFalse();
        assertThat(ledger.produced(8)).as("producing id 8").isTrue();
        assertThat(ledger.counts())
                .as("produced, consumed and rejected counts after 2 ids produced, 1 consumed, 3 calls refused")
                .isEqualTo(new Ledger.Counts(2, 1, 3));
    }

    @Test
    void concurrentCallsBehaveAsIfMadeOneAtATime() {
        // every method must work on one thread first: the model checker counts an exception thrown by an operation
        // as a legal result when the one-at-a-time run throws it too, so it would accept a ledger that only throws
        Ledger ledger = new Ledger();
        assertThat(List.of(ledger.produced(1), ledger.consumed(1), ledger.counts()))
                .as("produced(1), consumed(1) and the counts on one thread")
                .containsExactly(true, true, new Ledger.Counts(1, 1, 0));
        long start = System.nanoTime();
        Checkers.assertRejects("a ledger with thread-safe sets but plain long counts",
                () -> budget().check(RacyLedgerOperations.class));
        long canary = System.nanoTime();
        budget().check(LedgerOperations.class);
        System.out.printf("LedgerTest: canary rejected in %d ms, ledger checked in %d ms%n",
                (canary - start) / 1_000_000, (System.nanoTime() - canary) / 1_000_000);
    }

    /** 2 threads of 2 operations, then 1 more operation once both are done: it reads counts that lost an update. */
    private static ModelCheckingOptions budget() {
        return Checkers.modelChecking().iterations(20).invocationsPerIteration(200).actorsAfter(1);
    }

    /** The learner's ledger under the model checker; ids 1 and 2 only, so that calls collide. */
    @Param(name = "id", gen = IntGen.class, conf = "1:2")
    public static class LedgerOperations {
        private final Ledger ledger = new Ledger();

        @Operation
        public boolean produced(@Param(name = "id") int id) {
            return ledger.produced(id);
        }

        @Operation
        public boolean consumed(@Param(name = "id") int id) {
            return ledger.consumed(id);
        }

        @Operation
        public Ledger.Counts counts() {
            return ledger.counts();
        }
    }

    /** The canary under the same checker. */
    @Param(name = "id", gen = IntGen.class, conf = "1:2")
    public static class RacyLedgerOperations {
        private final RacyLedger ledger = new RacyLedger();

        @Operation
        public boolean produced(@Param(name = "id") int id) {
            return ledger.produced(id);
        }

        @Operation
        public boolean consumed(@Param(name = "id") int id) {
            return ledger.consumed(id);
        }

        @Operation
        public Ledger.Counts counts() {
            return ledger.counts();
        }
    }
}
