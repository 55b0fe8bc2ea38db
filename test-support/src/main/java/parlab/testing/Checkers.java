package parlab.testing;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.Arrays;
import java.util.Comparator;
import org.jetbrains.lincheck.datastructures.ModelCheckingOptions;
import org.jetbrains.lincheck.datastructures.Operation;
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
     * Model-checks {@code scenario} (a class of {@code @Operation} methods) with {@link #modelChecking()}, after making
     * sure the code under test is written at all.
     *
     * <p>Lincheck compares concurrent runs with sequential ones: an operation that throws the same exception in both
     * is "linearizable", so a skeleton whose every method throws {@code UnsupportedOperationException("TODO")}
     * would pass. Each parameterless operation is therefore first called once, alone, on a fresh instance, and a
     * TODO it throws fails the check as it is.
     */
    public static void check(Class<?> scenario) {
        check(scenario, modelChecking());
    }

    /** {@link #check(Class)} with other options (a larger budget, more threads). */
    public static void check(Class<?> scenario, ModelCheckingOptions options) {
        rethrowTodo(scenario);
        options.check(scenario);
    }

    private static void rethrowTodo(Class<?> scenario) {
        Method[] operations = Arrays.stream(scenario.getDeclaredMethods())
                .filter(m -> m.isAnnotationPresent(Operation.class) && m.getParameterCount() == 0)
                .sorted(Comparator.comparing(Method::getName))
                .toArray(Method[]::new);
        for (Method operation : operations) {
            try {
                var constructor = scenario.getDeclaredConstructor();
                constructor.setAccessible(true);
                Object instance = constructor.newInstance();
                operation.setAccessible(true);
                operation.invoke(instance);
            } catch (InvocationTargetException e) {
                if (e.getCause() instanceof UnsupportedOperationException todo && todo.getMessage() != null
                        && todo.getMessage().startsWith("TODO")) {
                    throw todo;
                }
                // any other outcome of a single call is the model checker's to judge
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException("cannot run " + scenario.getSimpleName() + "." + operation.getName()
                        + " alone: a scenario needs a parameterless constructor", e);
            }
        }
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
