package parlab.testing.host;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/**
 * Run by the test host while it waits for its go (and by the AOT training run), so that JUnit's engine, the
 * watchdog, AssertJ and their classes are loaded and warm before the learner's tests start: a saved file then costs
 * only the learner's own tests.
 */
public final class WarmUp {
    @Test
    void assertionsThreadsAndFailures() throws InterruptedException {
        CountDownLatch started = new CountDownLatch(1);
        Thread worker = Thread.ofPlatform().name("warm-up").start(started::countDown);
        started.await();
        worker.join();
        assertThat(List.of(1, 2, 3)).as("a list").hasSize(3).contains(2).doesNotContain(4);
        assertThat(new long[] {1, 1}).as("an array").containsOnly(1);
        assertThat("text").isNotBlank().startsWith("te");
        assertThat(3L).isEqualTo(3L).isPositive();
        assertThatThrownBy(() -> {
            throw new IllegalStateException("expected");
        }).isInstanceOf(IllegalStateException.class).hasMessageContaining("expected");
        try {
            assertThat(1).as("a failing assertion's message").isEqualTo(2);
        } catch (AssertionError expected) {
            assertThat(expected.getMessage()).contains("failing");
        }
    }

    @ParameterizedTest
    @CsvSource({"1, 2", "3, 4"})
    void parameters(int a, int b) {
        assertThat(a).isLessThan(b);
    }
}
