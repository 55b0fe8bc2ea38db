package parlab.stage2.workers;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.InstantSource;
import java.util.concurrent.LinkedBlockingQueue;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The state the worker shares with its callers (paused or not, its thread, its counters) must be safely shared: a
 * race the tests of behaviour cannot catch, since on a PC a plain field happens to work. Checked deterministically in
 * the bytecode by {@link SharedFields}, whose canary runs first.
 */
class LongRunningWorkerSharedStateTest {

    @BeforeAll
    static void theCheckRejectsAPlainPausedFlag() {
        assertThat(SharedFields.unguarded(PlainFlagWorker.class))
                .as("what the shared-state check finds in a worker whose paused flag is a plain field: if it finds "
                        + "nothing, the check has stopped working and its verdict below means nothing")
                .singleElement().asString().contains("'paused'");
    }

    @Test
    void thePausedFlagAndTheCountersAreSharedSafelyWithTheWorker() {
        try (var worker = new LongRunningWorker<Integer>(new LinkedBlockingQueue<>(), item -> { },
                Thread.ofPlatform().name("shared-state-worker-", 0).factory(), InstantSource.system(),
                Duration.ofMillis(20))) {
            worker.start();
            worker.pause();
            assertThat(worker.isPaused()).as("isPaused() after pause()").isTrue();
            worker.resume();
            assertThat(worker.isPaused()).as("isPaused() after resume()").isFalse();
        }
        assertThat(SharedFields.unguarded(LongRunningWorker.class))
                .as("fields of LongRunningWorker that pause()/resume()/isPaused()/the counters (run by the callers' "
                        + "threads) and the worker's loop (run by its own thread) share with no happens-before edge "
                        + "between them. Make each one volatile or an atomic, or read and write it only while holding "
                        + "the same lock on both sides")
                .isEmpty();
    }
}
