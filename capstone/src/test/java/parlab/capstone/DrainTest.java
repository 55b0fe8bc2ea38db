package parlab.capstone;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.awaitility.Awaitility;
import org.duckdb.DuckDBConnection;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import parlab.testing.ChildJvm;

/**
 * A graceful stop: a requested drain hands out no new chunk, commits those in flight and reports the chunks left; a
 * rerun resumes to the exact result. For real: {@code SIGTERM} to the program in a child JVM makes it exit within
 * the drain deadline with {@link ExitCode#INTERRUPTED}, and the same command run again finishes the job.
 */
class DrainTest {
    private static final Pattern PROGRESS = Pattern.compile("committed chunk (\\d+) \\((\\d+)/(\\d+)\\)");
    static final List<String> JVM = List.of("-Xmx64m", "-XX:TieredStopAtLevel=1", "-Xshare:auto",
            "--enable-native-access=ALL-UNNAMED");
    private static final Duration DRAIN_TIMEOUT = Duration.ofSeconds(10);

    @TempDir
    Path dir;

    @Test
    void aDrainRequestedMidRunCommitsWhatIsInFlightStopsAndTheNextRunFinishesExactly() throws Exception {
        Path input = Fixtures.generate(dir, 40_000, 41, 200);
        String expected = Fixtures.expected(input);
        Path db = dir.resolve("drained.duckdb");
        Config config = Config.of(input, "jdbc:duckdb:" + db, 2, 8192);
        Drain drain = new Drain();
        AtomicInteger started = new AtomicInteger();
        AtomicInteger startedAfterDrain = new AtomicInteger();
        Progress requestAfterFive = new Progress() {
            @Override
            public void started(Chunk chunk, long bytesInFlight) {
                started.incrementAndGet();
                if (drain.requested()) {
                    startedAfterDrain.incrementAndGet();
                }
            }

            @Override
            public void committed(Chunk chunk, int done, int total) {
                if (done == 5) {
                    drain.request();
                }
            }
        };
        RunReport first;
        try (DuckDBConnection connection = Fixtures.database(db)) {
            first = Runner.run(config, connection, requestAfterFive, drain);
        }
        assertThat(startedAfterDrain.get()).as("chunks handed out after the drain request").isZero();
        assertThat(first.unfinished()).as("chunks left by the drained run (of %d)", first.chunks())
                .isEqualTo(first.chunks() - started.get()).isPositive();
        try (DuckDBConnection connection = Fixtures.reopen(db)) {
            assertThat(Fixtures.count(connection, "SELECT count(*) FROM " + Database.CHUNKS_DONE))
                    .as("every chunk handed out before the drain is committed").isEqualTo(started.get());
            assertThat(Fixtures.count(connection, "SELECT count(*) FROM " + Database.RESULTS))
                    .as("no result is written by a drained run").isZero();
        }
        RunReport second;
        try (DuckDBConnection connection = Fixtures.reopen(db)) {
            second = Runner.run(config, connection, Progress.NONE);
        }
        assertThat(second.skipped()).as("chunks the second run found committed").isEqualTo(started.get());
        assertThat(second.complete()).as("the second run is complete").isTrue();
        assertThat(second.formatted()).as("the resumed result").isEqualTo(expected);
        try (DuckDBConnection connection = Fixtures.reopen(db)) {
            assertThat(Fixtures.resultsTable(connection)).as("results table after the resume").isEqualTo(expected);
            RunnerTest.assertNoDuplicates(connection, second.chunks());
        }
    }

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS) // three child JVMs that load DuckDB, on a shared 2-core machine
    void sigtermInThreadModeDrainsExitsWithTheInterruptedCodeAndARerunEndsExact() throws Exception {
        sigtermMidRunThenResume(dir, List.of());
    }

    /**
     * Starts the program, sends it {@code SIGTERM} after 5 commits, checks the drain (exit code, deadline, no worker
     * JVM left, no duplicate), then runs it again and checks the exact result.
     */
    static void sigtermMidRunThenResume(Path dir, List<String> extraArgs) throws Exception {
        Path input = Fixtures.generate(dir, 300_000, 43, 300);
        String expected = Fixtures.expected(input);
        Path db = dir.resolve("sigterm.duckdb");
        List<String> args = new ArrayList<>(List.of("--input", input.toString(), "--db-file", db.toString(),
                "--chunk-size", "16k", "--parallelism", "2", "--progress", "--drain-timeout",
                Long.toString(DRAIN_TIMEOUT.toSeconds())));
        args.addAll(extraArgs);
        boolean processes = extraArgs.contains("processes");
        int total = -1;
        List<ProcessHandle> workers;
        try (ChildJvm child = ChildJvm.start(CapstoneMain.class, JVM, args.toArray(String[]::new))) {
            child.process().getOutputStream().close();
            StringBuilder seen = new StringBuilder();
            try (BufferedReader err = new BufferedReader(new InputStreamReader(child.process().getErrorStream(),
                    StandardCharsets.UTF_8))) {
                int done = 0;
                for (String line; done < 5 && (line = err.readLine()) != null; ) {
                    seen.append(line).append('\n');
                    Matcher m = PROGRESS.matcher(line);
                    if (m.find()) {
                        done = Integer.parseInt(m.group(2));
                        total = Integer.parseInt(m.group(3));
                    }
                }
                assertThat(done).as("the child commits 5 chunks before SIGTERM (its stderr:%n%s)", seen)
                        .isEqualTo(5);
                workers = child.process().descendants().toList();
                long signalled = System.nanoTime();
                child.process().toHandle().destroy(); // SIGTERM (Process.destroy would close our end of its pipes)
                for (String line; (line = err.readLine()) != null; ) { // to the end: the child has exited
                    seen.append(line).append('\n');
                }
                int code = child.waitFor(DRAIN_TIMEOUT.plusSeconds(10));
                Duration took = Duration.ofNanos(System.nanoTime() - signalled);
                assertThat(code).as("exit code after SIGTERM (stderr:%n%s)", seen)
                        .isEqualTo(ExitCode.INTERRUPTED.code());
                assertThat(took).as("time from SIGTERM to exit").isLessThan(DRAIN_TIMEOUT.plusSeconds(5));
                assertThat(seen.toString()).as("what the user is told").contains("run the same command again");
            }
        }
        assertThat(total).as("chunks in the file").isGreaterThan(5);
        if (processes) {
            assertThat(workers).as("worker JVMs of the process-mode run").isNotEmpty();
        }
        Awaitility.await("every worker JVM of the drained run has exited").atMost(Duration.ofSeconds(10))
                .until(() -> workers.stream().noneMatch(ProcessHandle::isAlive));
        try (DuckDBConnection connection = Fixtures.reopen(db)) {
            long stored = Fixtures.count(connection, "SELECT count(*) FROM " + Database.CHUNKS_DONE);
            assertThat(stored).as("committed chunks after the drain (of %d)", total).isBetween(5L, total - 1L);
            RunnerTest.assertNoDuplicates(connection, (int) stored);
        }
        CliTest.Outcome rerun = Fixtures.runToEnd(JVM, Duration.ofSeconds(60), args.toArray(String[]::new));
        assertThat(rerun.code()).as("the rerun finishes (stderr: %s)", rerun.err().lines().reduce((a, b) -> b)
                .orElse("")).isZero();
        assertThat(rerun.out().strip()).as("the rerun prints the exact result").isEqualTo(expected);
        try (DuckDBConnection connection = Fixtures.reopen(db)) {
            assertThat(Fixtures.resultsTable(connection)).as("results table after the resume").isEqualTo(expected);
            RunnerTest.assertNoDuplicates(connection, total);
        }
    }
}
