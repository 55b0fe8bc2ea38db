package parlab.stage3.memory;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.TimeUnit;
import org.jetbrains.lincheck.datastructures.ModelCheckingOptions;
import org.jetbrains.lincheck.datastructures.Operation;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import parlab.testing.Checkers;

/**
 * The budget under every interleaving Lincheck's model checker tries: two threads taking 2 or 3 bytes of a 4-byte
 * budget (so at most one of two 3-byte requests can win) or a single byte, and a read of the free bytes once both
 * are done; each run must match some one-at-a-time order of the same calls. (Releases are not in the model: a
 * take-then-give-back is not one step, so no one-at-a-time order could explain it. The other tests cover them.) A budget that checks
 * and then takes without a lock fails every time; the canary proves the checker still sees it.
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES) // Lincheck's first check in a JVM can take 10-25 s on a loaded machine
class ByteBudgetModelCheckTest {
    private static final long CAPACITY = 4;

    private static ModelCheckingOptions checker() {
        return Checkers.modelChecking().iterations(10).invocationsPerIteration(300).actorsAfter(1);
    }

    @Test
    void noInterleavingAdmitsMoreBytesThanTheBudget() {
        // One thread first: a budget that throws would throw the same in every order, and the model would agree.
        ByteBudget alone = new ByteBudget(CAPACITY);
        assertThat(alone.tryAcquire(3)).as("tryAcquire(3) on a fresh budget of 4").isTrue();
        assertThat(alone.tryAcquire(3)).as("a second tryAcquire(3) with 1 byte left").isFalse();
        assertThat(alone.available()).as("free bytes after taking 3 of 4").isEqualTo(1);
        checker().check(Model.class);
    }

    /** The canary, first: if the checker accepts this known race, its verdict below means nothing. */
    @BeforeAll
    @Timeout(value = 2, unit = TimeUnit.MINUTES)
    static void theCheckerRejectsABudgetThatChecksThenTakesWithoutALock() {
        Checkers.assertRejects("a budget doing 'if (available >= bytes) available -= bytes' on a volatile long",
                () -> checker().check(RacyModel.class));
    }

    public static class Model {
        private final ByteBudget budget = new ByteBudget(CAPACITY);

        @Operation
        public boolean take2() {
            return budget.tryAcquire(2);
        }

        @Operation
        public boolean take3() {
            return budget.tryAcquire(3);
        }

        @Operation
        public boolean take1() {
            return budget.tryAcquire(1);
        }

        @Operation
        public long available() {
            return budget.available();
        }
    }

    public static class RacyModel {
        private final RacyBudget budget = new RacyBudget(CAPACITY);

        @Operation
        public boolean take2() {
            return budget.tryAcquire(2);
        }

        @Operation
        public boolean take3() {
            return budget.tryAcquire(3);
        }

        @Operation
        public boolean take1() {
            return budget.tryAcquire(1);
        }

        @Operation
        public long available() {
            return budget.available();
        }
    }
}
