package parlab.stage3.memory;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class HeapLimitedRunnerTest {
    private static final int HEAP_MB = 32;
    /** Long enough for a child JVM to start and finish on a busy machine. */
    private static final Duration PATIENT = Duration.ofSeconds(12);

    private final HeapLimitedRunner runner = new HeapLimitedRunner(HEAP_MB, PATIENT);

    @Test
    void theCommandLimitsTheHeapAndEndsTheChildAtItsFirstOutOfMemoryError() {
        List<String> command = new ArrayList<>(runner.command("heap"));
        int classPath = command.indexOf("-cp");
        if (classPath >= 0 && classPath + 1 < command.size()) {
            command.set(classPath + 1, "..."); // thousands of characters that would hide the rest
        }
        assertThat(command).as("command line of a child with a %d MB heap", HEAP_MB)
                .contains("-Xmx" + HEAP_MB + "m", HeapLimitedRunner.EXIT_ON_OOM, HungryChild.class.getName())
                .endsWith(HungryChild.class.getName(), "heap");
    }

    @Test
    void theChildRunsWithTheHeapLimit() throws Exception {
        ChildOutcome outcome = runner.run("heap");
        assertThat(outcome).as("outcome of 'heap'").isInstanceOf(ChildOutcome.Completed.class);
        String stdout = ((ChildOutcome.Completed) outcome).stdout().strip();
        assertThat(stdout).as("what 'heap' printed").startsWith("max-heap ");
        long maxHeap = Long.parseLong(stdout.substring("max-heap ".length()));
        assertThat(maxHeap).as("the child's Runtime.maxMemory() with -Xmx%dm", HEAP_MB)
                .isLessThanOrEqualTo(HEAP_MB * 1024L * 1024L);
    }

    @Test
    void aChildThatRunsOutOfHeapIsReportedAsOutOfMemoryAndTheParentCarriesOn() throws Exception {
        ChildOutcome outcome = runner.run("allocate", "256");
        assertThat(outcome).as("outcome of a child holding 256 MB in a %d MB heap", HEAP_MB)
                .isInstanceOf(ChildOutcome.OutOfMemory.class);
        ChildOutcome.OutOfMemory oom = (ChildOutcome.OutOfMemory) outcome;
        assertThat(oom.exitCode()).as("exit code of a JVM ended by %s", HeapLimitedRunner.EXIT_ON_OOM)
                .isEqualTo(HeapLimitedRunner.OOM_EXIT_CODE);
        assertThat(oom.detail()).as("the detail: the line that names the error").contains("java.lang.OutOfMemoryError");

        ChildOutcome next = runner.run("allocate", "4");
        assertThat(next).as("the next child, holding 4 MB, run by the same parent").isEqualTo(
                new ChildOutcome.Completed("allocated 4 MB" + System.lineSeparator()));
    }

    @Test
    void anOutOfMemoryErrorOnABackgroundThreadEndsTheChild() throws Exception {
        ChildOutcome outcome = runner.run("oom-in-thread");
        assertThat(outcome).as("outcome of a child whose background thread ran out of heap (without %s the thread"
                + " dies, the JVM lives on and exits 0)", HeapLimitedRunner.EXIT_ON_OOM)
                .isInstanceOf(ChildOutcome.OutOfMemory.class);
    }

    @Test
    void anOrdinaryFailureIsNotReportedAsOutOfMemory() throws Exception {
        ChildOutcome outcome = runner.run("fail");
        assertThat(outcome).as("outcome of a child that threw an IllegalStateException")
                .isInstanceOf(ChildOutcome.Failed.class);
        ChildOutcome.Failed failed = (ChildOutcome.Failed) outcome;
        assertThat(failed.exitCode()).as("exit code of an uncaught exception in main").isEqualTo(1);
        assertThat(failed.stderrTail()).as("end of the child's stderr").contains("IllegalStateException");
    }

    @Test
    void exitCode3WithoutAnOutOfMemoryErrorIsAnOrdinaryFailure() throws Exception {
        ChildOutcome outcome = runner.run("exit3");
        assertThat(outcome).as("outcome of a child that printed 'fatal: bad configuration' and exited with 3: the"
                + " exit code alone does not prove an OutOfMemoryError").isEqualTo(
                new ChildOutcome.Failed(3, "fatal: bad configuration"));
    }

    @Test
    void aChildThatWritesALotIsNeverStuckOnAFullPipe() throws Exception {
        ChildOutcome outcome = runner.run("noisy");
        assertThat(outcome).as("outcome of a child that writes 1 MB on stderr, then 'done' (TimedOut: it was stuck"
                + " writing into a pipe nobody read)").isEqualTo(
                new ChildOutcome.Completed("done" + System.lineSeparator()));
    }

    @Test
    void aHungChildIsKilledAtTheTimeout() throws Exception {
        Duration limit = Duration.ofSeconds(2);
        long start = System.nanoTime();
        ChildOutcome outcome = new HeapLimitedRunner(HEAP_MB, limit).run("hang");
        long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        assertThat(outcome).as("outcome of a child that never ends, with a %d s timeout", limit.toSeconds())
                .isEqualTo(new ChildOutcome.TimedOut(limit));
        assertThat(millis).as("milliseconds run() took with a %d ms timeout", limit.toMillis())
                .isBetween(limit.toMillis() - 20, limit.toMillis() + 5_000);
        assertThat(ProcessHandle.current().children().filter(ProcessHandle::isAlive).toList())
                .as("child processes alive after run() returned TimedOut: kill the child, and wait for it").isEmpty();
    }
}
