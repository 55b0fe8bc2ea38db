package parlab.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.jetbrains.lincheck.LincheckAssertionError;
import org.jetbrains.lincheck.datastructures.Operation;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Proves the model checker set up by {@link Checkers#modelChecking()} on known cases: it rejects a lost update and a
 * lock-order deadlock every time, and accepts a correct counter; and {@link Checkers#assertRejects} itself fails when
 * the checker accepts what it should reject.
 *
 * <p>Model checks take seconds on a quiet machine and many times that on a loaded one: two minutes each.
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class CheckersTest {

    /**
     * Lincheck's first check in a JVM attaches its agent and instruments the classes already loaded: seconds on an idle
     * machine, over 15 s on a loaded one. Paid here, under a limit of its own, so the checks below time the checks.
     */
    @BeforeAll
    @Timeout(value = 2, unit = TimeUnit.MINUTES)
    static void startLincheck() {
        long start = System.nanoTime();
        Checkers.modelChecking().iterations(1).invocationsPerIteration(1).check(AtomicCounter.class);
        System.out.printf("Lincheck started in %d ms%n", (System.nanoTime() - start) / 1_000_000);
    }

    @Test
    void aCounterWithAPlainIntFieldIsRejected() {
        Throwable verdict = rejection("a counter with a plain int field", RacyCounter.class);
        assertThat(verdict.getMessage()).as("Lincheck's report").contains("Invalid execution results");
    }

    @Test
    void twoLocksTakenInOppositeOrderAreRejected() {
        Throwable verdict = rejection("two synchronized methods taking two locks in opposite order", LockOrder.class);
        assertThat(verdict.getMessage()).as("Lincheck's report").containsIgnoringCase("deadlock");
    }

    @Test
    void anAtomicCounterIsAccepted() {
        long start = System.nanoTime();
        Checkers.modelChecking().check(AtomicCounter.class);
        System.out.printf("AtomicCounter accepted in %d ms%n", (System.nanoTime() - start) / 1_000_000);
    }

    @Test
    void aSkeletonThatThrowsTodoEverywhereFailsWithItsTodo() {
        assertThatThrownBy(() -> Checkers.check(TodoCounter.class))
                .as("Lincheck alone calls a TODO in every operation linearizable; Checkers.check must not")
                .isInstanceOf(UnsupportedOperationException.class)
                .hasMessageStartingWith("TODO");
    }

    @Test
    void assertRejectsFailsWhenTheCheckerAcceptsTheBrokenCase() {
        assertThatThrownBy(() -> Checkers.assertRejects("a broken thing", () -> { }))
                .as("assertRejects on a check that passes")
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("the checker accepted a broken thing")
                .hasMessageContaining("the checker has stopped working");
    }

    /** Runs the model checker on {@code broken} through {@link Checkers#assertRejects} and returns its verdict. */
    private static Throwable rejection(String brokenWhat, Class<?> broken) {
        AtomicReference<Throwable> verdict = new AtomicReference<>();
        long start = System.nanoTime();
        Checkers.assertRejects(brokenWhat, () -> {
            try {
                Checkers.modelChecking().check(broken);
            } catch (Throwable rejected) {
                verdict.set(rejected);
                throw rejected;
            }
        });
        System.out.printf("%s rejected in %d ms%n", broken.getSimpleName(), (System.nanoTime() - start) / 1_000_000);
        assertThat(verdict.get()).as("how the checker rejected %s: a verdict, not a set-up error", brokenWhat)
                .isInstanceOf(LincheckAssertionError.class);
        return verdict.get();
    }

    /** A skeleton: every operation throws the same TODO, sequentially and concurrently alike. */
    public static class TodoCounter {
        @Operation
        public int incrementAndGet() {
            throw new UnsupportedOperationException("TODO: count");
        }
    }

    /** Known broken: {@code value++} is a read and a write, so two increments can both return 1. */
    public static class RacyCounter {
        private int value;

        @Operation
        public int increment() {
            return ++value;
        }

        @Operation
        public int get() {
            return value;
        }
    }

    public static class AtomicCounter {
        private final AtomicInteger value = new AtomicInteger();

        @Operation
        public int increment() {
            return value.incrementAndGet();
        }

        @Operation
        public int get() {
            return value.get();
        }
    }

    /** Known broken: one operation takes left then right, the other right then left. */
    public static class LockOrder {
        private final Object left = new Object();
        private final Object right = new Object();
        private int transfers;

        @Operation
        public int leftThenRight() {
            synchronized (left) {
                synchronized (right) {
                    return ++transfers;
                }
            }
        }

        @Operation
        public int rightThenLeft() {
            synchronized (right) {
                synchronized (left) {
                    return ++transfers;
                }
            }
        }
    }
}
