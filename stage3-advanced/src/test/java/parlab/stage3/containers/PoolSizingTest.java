package parlab.stage3.containers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.Callable;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import parlab.testing.ChildJvm;
import parlab.testing.Threads;

class PoolSizingTest {
    /** Long enough for a child JVM to start and report on a busy machine. */
    private static final Duration PATIENT = Duration.ofSeconds(12);
    private static final List<String> LIGHT = List.of("-Xmx32m", "-XX:TieredStopAtLevel=1", "-Xshare:auto",
            "-XX:+UseSerialGC");

    @TempDir
    Path dir;

    // ---------------------------------------------------------------------------------------------------------
    // The rule, as a pure function.
    // ---------------------------------------------------------------------------------------------------------

    @Test
    void withoutAnOverrideTheCountFollowsTheAvailableProcessors() {
        assertThat(PoolSizing.workers(null, null, 1)).as("workers with 1 available processor, no override")
                .isEqualTo(1);
        assertThat(PoolSizing.workers(null, null, 6)).as("workers with 6 available processors, no override")
                .isEqualTo(6);
    }

    @Test
    void anOverrideWinsAndThePropertyBeatsTheEnvironment() {
        assertThat(PoolSizing.workers("3", null, 1)).as("workers with -Dparlab.workers=3 and 1 processor")
                .isEqualTo(3);
        assertThat(PoolSizing.workers(null, "2", 8)).as("workers with PARLAB_WORKERS=2 and 8 processors")
                .isEqualTo(2);
        assertThat(PoolSizing.workers("3", "2", 8)).as("workers with -Dparlab.workers=3, PARLAB_WORKERS=2")
                .isEqualTo(3);
        assertThat(PoolSizing.workers(String.valueOf(PoolSizing.MAX_WORKERS), null, 2))
                .as("workers with -Dparlab.workers=MAX_WORKERS").isEqualTo(PoolSizing.MAX_WORKERS);
    }

    @ParameterizedTest(name = "-Dparlab.workers=\"{0}\"")
    @ValueSource(strings = {"0", "-2", "four", "1.5", "1025", "99999999999", ""})
    void aBadPropertyIsAClearError(String value) {
        assertThatThrownBy(() -> PoolSizing.workers(value, "2", 4))
                .as("workers with -Dparlab.workers=\"%s\" (PARLAB_WORKERS=2 must not hide the mistake)", value)
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(PoolSizing.PROPERTY)
                .hasMessageContaining(value);
    }

    @ParameterizedTest(name = "PARLAB_WORKERS=\"{0}\"")
    @ValueSource(strings = {"0", "many", "2048", ""})
    void aBadEnvironmentVariableIsAClearError(String value) {
        assertThatThrownBy(() -> PoolSizing.workers(null, value, 4))
                .as("workers with PARLAB_WORKERS=\"%s\"", value)
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(PoolSizing.ENV)
                .hasMessageContaining(value);
    }

    // ---------------------------------------------------------------------------------------------------------
    // The pool, in this JVM, sized by the property.
    // ---------------------------------------------------------------------------------------------------------

    /** Tasks that each wait for {@code together} others, then return the name of the thread that ran them. */
    private static List<Callable<String>> tasksMeetingInGroupsOf(int together, int count, List<Thread> seen) {
        CyclicBarrier barrier = new CyclicBarrier(together);
        List<Callable<String>> tasks = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            tasks.add(() -> {
                seen.add(Thread.currentThread());
                try {
                    barrier.await(5, TimeUnit.SECONDS);
                } catch (TimeoutException | BrokenBarrierException e) {
                    return "(fewer than " + together + " threads ran at once)";
                }
                return Thread.currentThread().getName();
            });
        }
        return tasks;
    }

    /**
     * The threads, once each has had a moment to end. A closed pool's last thread may still be leaving its run()
     * method when close() returns: "terminated" means no more work, the thread ends a moment later.
     */
    private static List<Thread> endedSoon(List<Thread> threads) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
        for (Thread thread : threads) {
            thread.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
        }
        return threads;
    }

    @Test
    void computeAllUsesExactlyTheConfiguredThreadsAndClosesThePool() throws Exception {
        List<Thread> seen = new CopyOnWriteArrayList<>();
        List<String> results;
        System.setProperty(PoolSizing.PROPERTY, "3");
        try {
            results = PoolSizing.computeAll(tasksMeetingInGroupsOf(3, 6, seen));
        } finally {
            System.clearProperty(PoolSizing.PROPERTY);
        }
        assertThat(results).as("results of 6 tasks").hasSize(6);
        assertThat(new TreeSet<>(results)).as("threads that ran 6 tasks with -Dparlab.workers=3 (3 at a time)")
                .hasSize(3);
        assertThat(endedSoon(seen)).as("threads of the pool after computeAll returned: close the pool, every thread"
                + " ended").noneMatch(Threads::stillAlive);
    }

    @Test
    void computeAllKeepsTheTasksOrder() throws Exception {
        List<Callable<Integer>> tasks = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            int n = i;
            tasks.add(() -> {
                if (n % 7 == 0) {
                    Thread.sleep(5); // the early tasks finish late
                }
                return n * n;
            });
        }
        System.setProperty(PoolSizing.PROPERTY, "4");
        try {
            List<Integer> expected = new ArrayList<>();
            for (int i = 0; i < 50; i++) {
                expected.add(i * i);
            }
            assertThat(PoolSizing.computeAll(tasks)).as("results of 50 tasks, in the tasks' order").isEqualTo(expected);
        } finally {
            System.clearProperty(PoolSizing.PROPERTY);
        }
    }

    @Test
    void aFailingTaskReachesTheCallerAndThePoolIsStillClosed() throws Exception {
        List<Thread> seen = new CopyOnWriteArrayList<>();
        IllegalStateException boom = new IllegalStateException("boom in task 3");
        List<Callable<Integer>> tasks = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            int n = i;
            tasks.add(() -> {
                seen.add(Thread.currentThread());
                if (n == 3) {
                    throw boom;
                }
                return n;
            });
        }
        System.setProperty(PoolSizing.PROPERTY, "2");
        try {
            assertThatThrownBy(() -> PoolSizing.computeAll(tasks)).as("what computeAll throws when task 3 throws")
                    .isSameAs(boom);
        } finally {
            System.clearProperty(PoolSizing.PROPERTY);
        }
        assertThat(endedSoon(seen)).as("pool threads after a failed computeAll: closed on this way out too")
                .isNotEmpty().noneMatch(Threads::stillAlive);
    }

    // ---------------------------------------------------------------------------------------------------------
    // Child JVMs that believe they have n CPUs (-XX:ActiveProcessorCount=n), as in a container with a CPU quota.
    // ---------------------------------------------------------------------------------------------------------

    private record Report(int exitCode, List<String> stdout, String stderr) {
        String value(String key) {
            return stdout.stream().filter(l -> l.startsWith(key + " ")).map(l -> l.substring(key.length() + 1))
                    .findFirst().orElse(null);
        }

        String describe() {
            return "exit code " + exitCode + ", stdout " + stdout + ", stderr: "
                    + (stderr.isBlank() ? "(empty)" : stderr.lines().limit(6).toList());
        }
    }

    /** Runs {@link PoolReport} with the given JVM options and environment (PARLAB_WORKERS unset unless given). */
    private Report report(List<String> jvmOptions, Map<String, String> env) throws IOException, InterruptedException {
        List<String> options = new ArrayList<>(LIGHT);
        options.addAll(jvmOptions);
        Path out = Files.createTempFile(dir, "report-", ".out");
        Path err = Files.createTempFile(dir, "report-", ".err");
        ProcessBuilder builder = new ProcessBuilder(ChildJvm.command(PoolReport.class, options))
                .redirectOutput(out.toFile())
                .redirectError(err.toFile());
        builder.environment().remove(PoolSizing.ENV);
        builder.environment().putAll(env);
        Process process = builder.start();
        try {
            if (!process.waitFor(PATIENT.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new AssertionError("the child JVM was still running " + PATIENT.toSeconds() + " s after it"
                        + " started (a pool that is never closed keeps its JVM alive); its stdout: "
                        + Files.readAllLines(out) + ", stderr: " + Files.readString(err).lines().limit(6).toList());
            }
        } finally {
            ChildJvm.destroy(process.toHandle());
        }
        return new Report(process.exitValue(), Files.readAllLines(out, StandardCharsets.UTF_8),
                Files.readString(err, StandardCharsets.UTF_8));
    }

    @ParameterizedTest(name = "-XX:ActiveProcessorCount={0}")
    @ValueSource(ints = {1, 3})
    void aChildSizesItsPoolToTheProcessorsItIsGiven(int processors) throws Exception {
        Report report = report(List.of("-XX:ActiveProcessorCount=" + processors), Map.of());
        assertThat(report.value("available-processors")).as("the child's availableProcessors() (%s)",
                report.describe()).isEqualTo(String.valueOf(processors));
        assertThat(report.value("workers")).as("workers() in a child with %d processors and no override (%s)",
                processors, report.describe()).isEqualTo(String.valueOf(processors));
        assertThat(report.value("threads")).as("threads that ran its tasks at once (%s)", report.describe())
                .isEqualTo(String.valueOf(processors));
        assertThat(report.exitCode()).as("exit code (%s)", report.describe()).isZero();
    }

    @Test
    void inAChildThePropertyOverrideWins() throws Exception {
        Report report = report(List.of("-XX:ActiveProcessorCount=1", "-D" + PoolSizing.PROPERTY + "=3"),
                Map.of(PoolSizing.ENV, "2"));
        assertThat(report.value("workers")).as("workers() with 1 processor, -Dparlab.workers=3, PARLAB_WORKERS=2"
                + " (%s)", report.describe()).isEqualTo("3");
        assertThat(report.value("threads")).as("threads that ran its tasks at once (%s)", report.describe())
                .isEqualTo("3");
    }

    @Test
    void inAChildTheEnvironmentOverrideWinsOverTheProcessors() throws Exception {
        Report report = report(List.of("-XX:ActiveProcessorCount=1"), Map.of(PoolSizing.ENV, "2"));
        assertThat(report.value("workers")).as("workers() with 1 processor and PARLAB_WORKERS=2 (%s)",
                report.describe()).isEqualTo("2");
    }

    @Test
    void aChildWithABadOverrideRefusesToStartAndSaysWhy() throws Exception {
        Report report = report(List.of("-XX:ActiveProcessorCount=1"), Map.of(PoolSizing.ENV, "lots"));
        assertThat(report.stderr()).as("the child's stderr with PARLAB_WORKERS=lots (%s)", report.describe())
                .contains("error: ").contains(PoolSizing.ENV).contains("lots");
        assertThat(report.exitCode()).as("exit code of a child refusing a bad worker count (%s)", report.describe())
                .isEqualTo(PoolReport.EXIT_BAD_CONFIGURATION);
        assertThat(report.value("workers")).as("workers reported despite the bad override").isNull();
    }
}
