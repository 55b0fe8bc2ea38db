package parlab.lab;

import java.time.Duration;
import java.util.List;

/** What one check of one exercise found. */
public record CheckResult(
        Exercise exercise,
        Checker.Side side,
        Outcome outcome,
        List<TestOutcome> tests,
        List<String> compileErrors,
        String problem,
        String output,
        Duration elapsed) {

    public enum Outcome { PASSED, FAILED, COMPILE_ERROR, CRASHED, NO_TESTS }

    /** One test's result as the test JVM reported it. {@code kind} says why it failed (see TestHost). */
    public record TestOutcome(String name, String className, String method, boolean passed, String kind,
            String message, String trace) {
    }

    public boolean passed() {
        return outcome == Outcome.PASSED;
    }

    public List<TestOutcome> failures() {
        return tests.stream().filter(t -> !t.passed()).toList();
    }

    public long passedCount() {
        return tests.stream().filter(TestOutcome::passed).count();
    }
}
