package parlab.testing.host;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;
import org.opentest4j.AssertionFailedError;
import parlab.testing.DeadlockError;
import parlab.testing.HangError;
import parlab.testing.LeakError;

/** Proves that {@link Failures} names why a test failed, which {@code ./lab verify} relies on to judge a skeleton. */
class FailuresTest {

    @Test
    void aTodoIsTodo() {
        assertThat(Failures.kind(new UnsupportedOperationException("TODO: split the range")))
                .as("kind of the skeleton's TODO").isEqualTo("todo");
    }

    @Test
    void aTodoDeepInTheCauseChainIsStillTodo() {
        Throwable wrapped = new RuntimeException("task failed", new ExecutionException(
                new CompletionException(new UnsupportedOperationException("TODO: merge the counts"))));
        assertThat(Failures.kind(wrapped)).as("kind of a TODO wrapped by a pool and a future").isEqualTo("todo");
        assertThat(Failures.message(wrapped)).as("message of a wrapped TODO")
                .isEqualTo("java.lang.UnsupportedOperationException: TODO: merge the counts");
    }

    @Test
    void anUnsupportedOperationThatIsNoTodoIsAnError() {
        assertThat(Failures.kind(new UnsupportedOperationException("List.of(...) is immutable")))
                .as("kind of an UnsupportedOperationException without TODO").isEqualTo("error");
        assertThat(Failures.kind(new UnsupportedOperationException()))
                .as("kind of an UnsupportedOperationException without a message").isEqualTo("error");
    }

    @Test
    void aFailedAssertionIsAnAssertion() {
        assertThat(Failures.kind(new AssertionFailedError("[sum] expected: 10 but was: 9")))
                .as("kind of an AssertJ/JUnit assertion failure").isEqualTo("assertion");
        assertThat(Failures.kind(new AssertionError("plain"))).as("kind of a plain AssertionError")
                .isEqualTo("assertion");
        assertThat(Failures.message(new AssertionFailedError("[sum] expected: 10 but was: 9")))
                .as("message of an assertion: its text alone").isEqualTo("[sum] expected: 10 but was: 9");
    }

    @Test
    void aTodoBeatsTheAssertionThatReportsIt() {
        AssertionError assertion = new AssertionError("expected no exception");
        assertion.initCause(new UnsupportedOperationException("TODO: count"));
        assertThat(Failures.kind(assertion)).as("kind of an assertion caused by a TODO").isEqualTo("todo");
    }

    @Test
    void aDeadlockIsADeadlockEvenWhenOtherFailuresCameWithIt() {
        DeadlockError deadlock = new DeadlockError("deadlock: a holds X and waits for Y (held by b)");
        deadlock.addSuppressed(new LeakError("thread a is still running"));
        assertThat(Failures.kind(deadlock)).as("kind of a DeadlockError").isEqualTo("deadlock");
        assertThat(Failures.message(deadlock)).as("message of a deadlock")
                .startsWith("deadlock: a holds X and waits for Y");
    }

    @Test
    void aTimeoutCarryingTheWatchdogsHangErrorIsATimeout() {
        TimeoutException timeout = new TimeoutException("sums() timed out after 15 seconds");
        timeout.addSuppressed(new HangError("sums() did not finish in time"));
        assertThat(Failures.kind(timeout)).as("kind of JUnit's timeout with a HangError").isEqualTo("timeout");
        assertThat(Failures.kind(new TimeoutException("bare"))).as("kind of a bare TimeoutException")
                .isEqualTo("timeout");
        assertThat(Failures.kind(new HangError("bare"))).as("kind of a bare HangError").isEqualTo("timeout");
    }

    @Test
    void aTimeoutBeatsTheTodoOrAssertionItInterrupted() {
        TimeoutException timeout = new TimeoutException("timed out after 1 second");
        timeout.addSuppressed(new AssertionError("interrupted"));
        timeout.addSuppressed(new UnsupportedOperationException("TODO: never reached"));
        assertThat(Failures.kind(timeout)).as("kind of a timeout with other failures suppressed").isEqualTo("timeout");
    }

    @Test
    void aLeakIsALeak() {
        assertThat(Failures.kind(new LeakError("pool-3 was never shut down"))).as("kind of a LeakError")
                .isEqualTo("leak");
    }

    @Test
    void runningOutOfMemoryIsOom() {
        assertThat(Failures.kind(new OutOfMemoryError("Java heap space"))).as("kind of an OutOfMemoryError")
                .isEqualTo("oom");
        assertThat(Failures.kind(new ExecutionException(new OutOfMemoryError("Java heap space"))))
                .as("kind of an OutOfMemoryError in a worker").isEqualTo("oom");
    }

    @Test
    void anythingElseIsAnError() {
        assertThat(Failures.kind(new NullPointerException("x is null"))).as("kind of an NPE").isEqualTo("error");
        assertThat(Failures.message(new IllegalStateException("closed"))).as("message of an error: type and text")
                .isEqualTo("java.lang.IllegalStateException: closed");
    }

    @Test
    void aCauseCycleDoesNotHangTheClassification() {
        RuntimeException a = new RuntimeException("a");
        RuntimeException b = new RuntimeException("b", a);
        a.initCause(b);
        assertThat(Failures.kind(a)).as("kind of two exceptions that cause each other").isEqualTo("error");
    }
}
