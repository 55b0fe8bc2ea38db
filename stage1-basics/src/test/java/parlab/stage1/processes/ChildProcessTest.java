package parlab.stage1.processes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ChildProcessTest {
    /** Small and quick to start: these children do almost nothing. */
    private static final List<String> FAST = List.of("-Xmx64m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC");
    /** For answers that come at once, once the child JVM has started (which takes a while on a busy machine). */
    private static final Duration PATIENT = Duration.ofSeconds(8);
    /** For the child that never answers. */
    private static final Duration SHORT = Duration.ofMillis(300);
    /** How long the tests wait for a call that should return well within it, before they call it stuck. */
    private static final Duration LIMIT = Duration.ofSeconds(5);

    @Test
    void theCommandRunsTheClassOnThisJvmAndClassPath() {
        List<String> command =
                ChildProcess.command(ChildMain.class, List.of("-Xmx32m", "-Dlab=yes"), "one", "two words");

        Path launcher = Path.of(command.getFirst()).toAbsolutePath().normalize();
        assertThat(launcher.getParent())
                .as("folder of the launcher %s: the running JVM's own (java.home/bin)", launcher)
                .isEqualTo(Path.of(System.getProperty("java.home"), "bin").toAbsolutePath().normalize());
        assertThat(launcher.getFileName().toString()).as("launcher file name").isIn("java", "java.exe");

        int main = command.indexOf(ChildMain.class.getName());
        assertThat(main).as("position of the main class's full name in %s", command).isPositive();
        assertThat(command.subList(main + 1, command.size()))
                .as("what follows the main class: the program's arguments, unchanged, one element each")
                .containsExactly("one", "two words");
        List<String> jvmPart = command.subList(1, main);
        assertThat(jvmPart).as("what comes between the launcher and the main class: the JVM options, in order")
                .containsSubsequence("-Xmx32m", "-Dlab=yes");
        int flag = IntStream.range(0, jvmPart.size() - 1)
                .filter(i -> Set.of("-cp", "-classpath", "--class-path").contains(jvmPart.get(i)))
                .findFirst().orElse(-1);
        assertThat(flag).as("index of -cp (or --class-path) before the main class in %s", command).isNotNegative();
        assertThat(jvmPart.get(flag + 1)).as("the class path given to the child: this JVM's java.class.path")
                .isEqualTo(System.getProperty("java.class.path"));
    }

    @Test
    void manyTasksAreAnsweredInOrder() throws Exception {
        List<String> expected = new ArrayList<>();
        List<String> answers = new ArrayList<>();
        try (ChildProcess child = ChildProcess.start(FAST)) {
            for (int i = 0; i < 2_000; i++) {
                String task = i % 2 == 0 ? "square " + i : "echo word " + i + " ünïcødé";
                expected.add(i % 2 == 0 ? Long.toString((long) i * i) : "word " + i + " ünïcødé");
                answers.add(child.ask(task, PATIENT));
            }
        }
        assertThat(answers).as("answers to 2,000 tasks, in the order the tasks were sent").hasSize(2_000)
                .containsExactlyElementsOf(expected);
    }

    @Test
    void oneChildServesEveryTaskAndIsGoneAfterClose() throws Exception {
        ChildProcess child = ChildProcess.start(FAST);
        long pid;
        try {
            pid = Long.parseLong(child.ask("pid", PATIENT));
            for (int i = 0; i < 50; i++) {
                child.ask("echo " + i, PATIENT);
            }
            assertThat(child.ask("pid", PATIENT))
                    .as("pid of the process answering the 52nd task: the same child answers them all")
                    .isEqualTo(Long.toString(pid));
            assertThat(ProcessHandle.of(pid).flatMap(ProcessHandle::parent).map(ProcessHandle::pid))
                    .as("parent of the answering process %d: this JVM", pid)
                    .contains(ProcessHandle.current().pid());
        } finally {
            child.close();
        }
        assertThat(alive(pid))
                .as("child %d right after close() returned: close must wait until the child has exited", pid)
                .isEmpty();
        child.close(); // a second close is harmless
    }

    @ParameterizedTest(name = "exit code {0}")
    @ValueSource(ints = {3, 42})
    void aCrashIsReportedWithItsExitCodeAndTheTailOfItsStderr(int exitCode) throws Exception {
        List<String> lastLines = new ArrayList<>();
        for (int i = ChildMain.NOISE_LINES - ChildProcess.STDERR_TAIL_LINES + 1; i < ChildMain.NOISE_LINES; i++) {
            lastLines.add("noise line " + i + ": nothing wrong yet");
        }
        lastLines.add("fatal: crashing with exit code " + exitCode);
        try (ChildProcess child = ChildProcess.start(FAST)) {
            assertThat(child.ask("echo alive", PATIENT)).as("answer before the crash").isEqualTo("alive");
            assertThat(catchThrowable(() -> child.ask("crash " + exitCode, PATIENT)))
                    .as("what ask throws when the child dies instead of answering")
                    .isInstanceOfSatisfying(ChildFailedException.class, failure -> {
                        assertThat(failure.exitCode()).as("exit code in the exception").isEqualTo(exitCode);
                        assertThat(failure.task()).as("task in the exception").isEqualTo("crash " + exitCode);
                        assertThat(failure.stderrTail())
                                .as("stderr tail in the exception: the child's last %d stderr lines, oldest first, "
                                        + "up to its very last line (read all of stderr before you build it)",
                                        ChildProcess.STDERR_TAIL_LINES)
                                .containsExactlyElementsOf(lastLines);
                    });
        }
    }

    @Test
    void aChildJvmThatCannotStartIsReportedWithTheJvmsOwnWords() throws Exception {
        Set<Long> before = childPids();
        try (ChildProcess child = ChildProcess.start(List.of("-XX:+NoSuchOptionForParallelLab"))) {
            await("the child JVM, which cannot start, to exit").atMost(PATIENT)
                    .until(() -> ProcessHandle.current().children().noneMatch(p -> !before.contains(p.pid())));

            assertThat(catchThrowable(() -> child.ask("pid", PATIENT)))
                    .as("what ask throws when the child is already dead (writing to its stdin fails: report the"
                            + " dead child, not the IOException)")
                    .isInstanceOfSatisfying(ChildFailedException.class, failure -> {
                        assertThat(failure.exitCode()).as("exit code of a JVM that cannot start").isEqualTo(1);
                        assertThat(failure.stderrTail()).as("stderr tail of the JVM that cannot start")
                                .anyMatch(line -> line.contains("Unrecognized VM option 'NoSuchOptionForParallelLab'"));
                    });
        }
    }

    @Test
    @Timeout(10)
    void aHungChildIsKilledAfterTheTimeout() throws Exception {
        try (ChildProcess child = ChildProcess.start(FAST)) {
            long pid = Long.parseLong(child.ask("pid", PATIENT));
            long start = System.nanoTime();
            Throwable thrown = within(LIMIT, pid, "ask(\"hang\", 300 ms) had not returned " + LIMIT.toSeconds()
                    + " s later: when the timeout is up, stop waiting (a plain readLine() waits forever), kill the "
                    + "child and throw ChildTimeoutException", () -> catchThrowable(() -> child.ask("hang", SHORT)));
            long waited = System.nanoTime() - start;
            assertThat(thrown).as("what ask throws when no answer comes in time")
                    .isInstanceOfSatisfying(ChildTimeoutException.class, timeout -> {
                        assertThat(timeout.task()).as("task in the exception").isEqualTo("hang");
                        assertThat(timeout.timeout()).as("time limit in the exception").isEqualTo(SHORT);
                    });
            assertThat(Duration.ofNanos(waited)).as("time ask waited for the answer before it gave up")
                    .isGreaterThanOrEqualTo(SHORT);
            assertThat(alive(pid))
                    .as("hung child %d when ask threw: it must be killed, and gone, before ask throws", pid)
                    .isEmpty();
        }
    }

    @Test
    @Timeout(10)
    void aChildThatIgnoresDestroyIsKilledForcibly() throws Exception {
        try (ChildProcess child = ChildProcess.start(FAST)) {
            long pid = Long.parseLong(child.ask("pid", PATIENT));
            assertThat(child.ask("stubborn", PATIENT)).isEqualTo("stubborn");
            Throwable thrown = within(LIMIT, pid, "ask(\"hang\", 300 ms) to a child that ignores destroy() had not "
                    + "returned " + LIMIT.toSeconds() + " s later: after destroy(), wait at most GRACE for the child "
                    + "to exit, then destroyForcibly() it", () -> catchThrowable(() -> child.ask("hang", SHORT)));
            assertThat(thrown).as("what ask throws when no answer comes in time")
                    .isInstanceOf(ChildTimeoutException.class);
            assertThat(alive(pid))
                    .as("child %d, which ignores destroy() (SIGTERM), when ask threw: after the grace period, "
                            + "destroyForcibly() must end it", pid)
                    .isEmpty();
        }
    }

    @Test
    @Timeout(10)
    void closeEndsAChildThatWillNotStopByItself() throws Exception {
        ChildProcess child = ChildProcess.start(FAST);
        long pid;
        try {
            pid = Long.parseLong(child.ask("pid", PATIENT));
            assertThat(child.ask("stubborn", PATIENT)).isEqualTo("stubborn");
        } catch (Throwable failed) {
            child.close();
            throw failed;
        }
        within(LIMIT, pid, "close() on a child that ignores the end of its stdin and destroy() had not returned "
                + LIMIT.toSeconds() + " s later: wait at most GRACE at each step, then escalate", () -> {
                    child.close();
                    return null;
                });
        assertThat(alive(pid))
                .as("child %d, which ignores the end of its stdin and destroy(), right after close() returned: "
                        + "close must escalate to destroyForcibly() and wait", pid)
                .isEmpty();
    }

    @Test
    @Timeout(10)
    void aChildFloodingItsStderrDoesNotBlockTheConversation() throws Exception {
        try (ChildProcess child = ChildProcess.start(FAST)) {
            long pid = Long.parseLong(child.ask("pid", PATIENT));
            String stuck = "the child writes 1 MB to its stderr before it answers, and its answer never came: if "
                    + "nobody reads the child's stderr, the pipe (64 KB) fills up and the child blocks in its write "
                    + "while the parent waits for stdout. Keep stderr drained all the time.";
            Object answer = within(LIMIT, pid, stuck, () -> {
                try {
                    return child.ask("flood 1000000", Duration.ofSeconds(4));
                } catch (ChildTimeoutException timedOut) {
                    return timedOut;
                }
            });
            if (answer instanceof ChildTimeoutException timedOut) {
                throw new AssertionError(stuck, timedOut);
            }
            assertThat(answer).as("answer to \"flood 1000000\" (stderr must not be mixed into the answers)")
                    .isEqualTo("flooded 1000000");
            assertThat(child.ask("echo still talking", PATIENT)).as("answer after the flood")
                    .isEqualTo("still talking");
            assertThat(catchThrowable(() -> child.ask("crash 7", PATIENT)))
                    .as("what ask throws when the child crashes after the flood")
                    .isInstanceOfSatisfying(ChildFailedException.class, failure -> {
                        assertThat(failure.stderrTail().size())
                                .as("number of lines in the stderr tail after 1 MB of stderr and then a crash")
                                .isEqualTo(ChildProcess.STDERR_TAIL_LINES);
                        assertThat(failure.stderrTail().getLast()).as("last line of that tail")
                                .isEqualTo("fatal: crashing with exit code 7");
                    });
        }
    }

    /**
     * Runs {@code call} on a helper thread and waits for it at most {@code limit}. If it is still running then,
     * kills the child (which ends any read of its pipes and any wait for its exit) and fails with {@code why},
     * so that a parent stuck forever fails with an explanation instead of hanging the test.
     */
    private static <T> T within(Duration limit, long pid, String why, Callable<T> call) throws Exception {
        FutureTask<T> task = new FutureTask<>(call);
        Thread helper = Thread.ofPlatform().name("test-helper").start(task);
        try {
            return task.get(limit.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException stillRunning) {
            ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
            helper.join(limit);
            throw new AssertionError(why);
        } catch (ExecutionException failed) {
            if (failed.getCause() instanceof Exception exception) {
                throw exception;
            }
            throw (Error) failed.getCause();
        }
    }

    private static Set<Long> childPids() {
        return ProcessHandle.current().children().map(ProcessHandle::pid).collect(Collectors.toSet());
    }

    /** The process with this pid, if it is still alive. */
    private static Optional<ProcessHandle> alive(long pid) {
        return ProcessHandle.of(pid).filter(ProcessHandle::isAlive);
    }
}
