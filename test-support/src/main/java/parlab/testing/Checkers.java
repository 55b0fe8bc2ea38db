package parlab.testing;

import org.jetbrains.lincheck.datastructures.ModelCheckingOptions;
import org.junit.jupiter.api.function.Executable;

/**
 * Set-up for deterministic concurrency checks, and the "checker canary".
 *
 * <p>Lincheck's model checker explores thread interleavings under its own scheduler, so a race is found every
 * time rather than by luck. Its defaults take about a minute per class; the budgets here keep a check to a second
 * or two while still finding lost updates, bad publication and lock-order deadlocks in small scenarios. Use its
 * data-structure API ({@code @Operation} methods), never {@code Lincheck.runConcurrentTest}, which misses races on
 * JDK 25 when the shared object reaches threads through a {@code Runnable}.
 *
 * <p>A checker that silently stops finding bugs (a library or JDK update) would let every broken answer pass.
 * So every deterministic suite also runs its checker on a known-broken implementation kept in the test tree and
 * asserts that the checker rejects it: {@link #assertRejects}.
 */
public final class Checkers {
    private Checkers() {
    }

    /** Model checking with a budget that keeps a check fast: 2 threads, 2 operations each, 20 x 500 runs. */
    public static ModelCheckingOptions modelChecking() {
        return new ModelCheckingOptions()
                .iterations(20)
                .invocationsPerIteration(500)
                .threads(2)
                .actorsPerThread(2)
                .actorsBefore(0)
                .actorsAfter(0);
    }

    /**
     * Runs {@code check} against a known-broken implementation and fails unless the check rejects it.
     *
     * @param brokenWhat what is broken, for the message ("a counter with a plain int field")
     */
    public static void assertRejects(String brokenWhat, Executable check) {
        try {
            check.execute();
        } catch (AssertionError rejected) { // Lincheck's verdicts and assertion failures are AssertionErrors
            return;
        } catch (Throwable broken) {
            throw new AssertionError("could not run the checker on " + brokenWhat + " (a set-up problem, not a "
                    + "verdict): " + broken, broken);
        }
        throw new AssertionError("the checker accepted " + brokenWhat + ", which is known to be broken: "
                + "the checker has stopped working, so its verdict on the real implementation means nothing");
    }
}
