package parlab.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.discovery.DiscoverySelectors;
import org.junit.platform.testkit.engine.EngineExecutionResults;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.Event;

/**
 * Runs a sample test class (a static nested class of a test, marked {@link Sample}) through the JUnit Platform Test
 * Kit, with the configuration every module's tests get ({@code junit-platform.properties} of this module: extension
 * auto-detection, the 15 s default timeout), and hands back how its one test ended.
 *
 * <p>Samples are broken on purpose (they deadlock, hang, leak). Surefire skips nested classes; anything else that
 * finds them (an IDE, a class-path scan) sees them disabled, because only {@link #run} sets {@link #ENABLED}.
 */
final class Samples {
    static final String ENABLED = "parlab.testing.samples.enabled";

    private Samples() {
    }

    /** A sample test class: runs only through {@link Samples#run}. */
    @Retention(RetentionPolicy.RUNTIME)
    @Target(ElementType.TYPE)
    @ExtendWith(OnlyThroughTestKit.class)
    @interface Sample {
    }

    static final class OnlyThroughTestKit implements ExecutionCondition {
        @Override
        public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
            return context.getConfigurationParameter(ENABLED, Boolean::parseBoolean).orElse(false)
                    ? ConditionEvaluationResult.enabled("run through Samples.run")
                    : ConditionEvaluationResult.disabled("a broken-on-purpose sample; it runs only through Samples.run");
        }
    }

    /** How the sample's only test ended, and how long the whole run took. */
    record Outcome(TestExecutionResult result, Duration took) {
        Throwable failure() {
            assertThat(result.getStatus()).as("status of the sample test (%s)", result).isEqualTo(TestExecutionResult.Status.FAILED);
            return result.getThrowable().orElseThrow();
        }

        void assertPassed() {
            assertThat(result.getStatus())
                    .as("status of the sample test; it failed with %s", result.getThrowable().orElse(null))
                    .isEqualTo(TestExecutionResult.Status.SUCCESSFUL);
        }
    }

    /** Runs {@code sample}, which must hold exactly one test, and returns how that test ended. */
    static Outcome run(Class<?> sample) {
        assertThat(sample.isAnnotationPresent(Sample.class)).as("%s is marked @Sample", sample.getName()).isTrue();
        long start = System.nanoTime();
        EngineExecutionResults results = EngineTestKit.engine("junit-jupiter")
                .enableImplicitConfigurationParameters(true) // the shipped junit-platform.properties, as in a real run
                .configurationParameter(ENABLED, "true")
                .selectors(DiscoverySelectors.selectClass(sample))
                .execute();
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        List<Event> finished = results.testEvents().finished().list();
        assertThat(finished).as("tests the sample %s ran", sample.getSimpleName()).hasSize(1);
        assertThat(results.containerEvents().failed().list()).as("container failures of %s", sample.getSimpleName())
                .isEmpty();
        return new Outcome(finished.getFirst().getRequiredPayload(TestExecutionResult.class), took);
    }

    /** {@link CountDownLatch#await()} for sample threads, which have no {@code throws} clause. */
    static void await(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
