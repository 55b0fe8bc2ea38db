package parlab.capstone;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.foreign.Arena;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.awaitility.Awaitility;
import org.duckdb.DuckDBConnection;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import parlab.onebrc.Oracle;
import parlab.testing.Datasets;

/**
 * Milestone c02 with real worker JVMs: process mode gives exactly the result of thread mode; workers killed with
 * SIGKILL at random moments are restarted and their chunks retried, and the result stays exact with no duplicate;
 * a worker that stops answering is killed; a chunk that crashes every worker is quarantined and the program ends
 * with {@link ExitCode#PARTIAL}; {@code SIGTERM} drains a process-mode run and leaves no worker JVM behind.
 */
class ProcessModeTest {
    @TempDir
    Path dir;

    private static Config processes(Path input, Path db, int workers, long chunkSize, int maxCrashes) {
        return Config.of(input, "jdbc:duckdb:" + db, workers, chunkSize).withWorkers(WorkerMode.PROCESSES,
                Supervision.DEFAULT.withMaxCrashes(maxCrashes));
    }

    @Test
    @Timeout(value = 180, unit = TimeUnit.SECONDS) // 12 runs, each boots 2 worker JVMs
    void everyOneBrcSampleGivesItsExpectedOutputInProcessMode() throws Exception {
        int i = 0;
        for (Path sample : Datasets.oneBrcSamples()) {
            Path db = dir.resolve("sample-" + i++ + ".duckdb");
            long chunkSize = Files.size(sample) > 100_000 ? 8192 : 64;
            RunReport report;
            try (DuckDBConnection connection = Fixtures.database(db)) {
                report = Runner.run(processes(sample, db, 2, chunkSize, 3), connection, Progress.NONE);
            }
            String expected = Datasets.expectedOutput(sample);
            assertThat(report.formatted()).as("result of %s in process mode", sample.getFileName())
                    .isEqualTo(expected);
            try (DuckDBConnection connection = Fixtures.reopen(db)) {
                assertThat(Fixtures.resultsTable(connection)).as("results table of %s", sample.getFileName())
                        .isEqualTo(expected);
                RunnerTest.assertNoDuplicates(connection, report.chunks());
            }
        }
    }

    @Test
    @Timeout(value = 90, unit = TimeUnit.SECONDS)
    void aGeneratedFileGivesTheOraclesResultAndTheSameRejectsAsThreadMode() throws Exception {
        Path input = Fixtures.generate(dir, 200_000, 51, 413);
        String oracle = Oracle.resultOf(input); // before the bad lines, which add nothing to the result
        Files.writeString(input, "bad line without separator\nHamburg;12.34\n\u00e9t\u00e9;-100.0\n",
                java.nio.file.StandardOpenOption.APPEND);
        Path threadsDb = dir.resolve("threads.duckdb");
        Path processesDb = dir.resolve("processes.duckdb");
        RunReport threads;
        try (DuckDBConnection connection = Fixtures.database(threadsDb)) {
            threads = Runner.run(Config.of(input, "jdbc:duckdb:" + threadsDb, 2, 32 << 10), connection,
                    Progress.NONE);
        }
        RunReport processes;
        try (DuckDBConnection connection = Fixtures.database(processesDb)) {
            processes = Runner.run(processes(input, processesDb, 2, 32 << 10, 3), connection, Progress.NONE);
        }
        assertThat(processes.formatted()).as("process mode's result").isEqualTo(oracle)
                .isEqualTo(threads.formatted());
        assertThat(processes.rows()).as("good rows").isEqualTo(threads.rows());
        assertThat(processes.rejects()).as("rejects").isEqualTo(threads.rejects()).isEqualTo(3);
        try (DuckDBConnection p = Fixtures.reopen(processesDb); DuckDBConnection t = Fixtures.reopen(threadsDb)) {
            assertThat(Fixtures.rejectsTable(p)).as("the rejects table in process mode")
                    .isEqualTo(Fixtures.rejectsTable(t));
            RunnerTest.assertNoDuplicates(p, processes.chunks());
        }
    }

    @Test
    @Timeout(value = 240, unit = TimeUnit.SECONDS) // every kill costs a JVM boot
    void workersKilledAtRandomMomentsAreRestartedAndTheResultIsExactWithoutDuplicates() throws Exception {
        Path input = Fixtures.generate(dir, 150_000, 61, 300);
        String expected = Fixtures.expected(input);
        Path db = dir.resolve("chaos.duckdb");
        Random random = new Random(20_261_127);
        AtomicInteger kills = new AtomicInteger();
        AtomicInteger restarts = new AtomicInteger();
        AtomicInteger retries = new AtomicInteger();
        List<Long> killed = new ArrayList<>();
        Progress chaos = new Progress() {
            private int started;
            private int nextKill = 1 + random.nextInt(6);

            @Override
            public void started(Chunk chunk, long bytesInFlight) {
                if (++started < nextKill || kills.get() >= 14) {
                    return;
                }
                nextKill = started + 1 + random.nextInt(6);
                // a child still running jspawnhelper is a worker being started: killing it fails the start itself
                // (IOException "Failed to exec spawn helper"), not the worker; once it shows java, exec is done
                List<ProcessHandle> workers = ProcessHandle.current().children().filter(ProcessHandle::isAlive)
                        .filter(p -> p.info().command().map(c -> c.endsWith("java")).orElse(false)).toList();
                if (!workers.isEmpty()) {
                    ProcessHandle victim = workers.get(random.nextInt(workers.size()));
                    victim.destroyForcibly(); // SIGKILL
                    killed.add(victim.pid());
                    kills.incrementAndGet();
                }
            }

            @Override
            public void committed(Chunk chunk, int done, int total) {
            }

            @Override
            public void workerRestarted(long deadPid, long newPid, int count) {
                restarts.incrementAndGet();
            }

            @Override
            public void chunkRetried(Chunk chunk, int crashes, long backoffMillis) {
                retries.incrementAndGet();
            }
        };
        RunReport report;
        try (DuckDBConnection connection = Fixtures.database(db)) {
            report = Runner.run(processes(input, db, 2, 8 << 10, 1000), connection, chaos);
        }
        assertThat(kills.get()).as("worker JVMs killed with SIGKILL during the run (%d chunks)", report.chunks())
                .isGreaterThanOrEqualTo(10);
        assertThat(restarts.get()).as("workers restarted (a worker killed while idle after the last chunk is not)")
                .isGreaterThanOrEqualTo(kills.get() - 2);
        assertThat(retries.get()).as("chunks retried").isPositive();
        assertThat(report.quarantined()).as("quarantined chunks").isEmpty();
        assertThat(report.formatted()).as("the result after %d kills", kills.get()).isEqualTo(expected);
        try (DuckDBConnection connection = Fixtures.reopen(db)) {
            assertThat(Fixtures.resultsTable(connection)).as("results table after the kills").isEqualTo(expected);
            RunnerTest.assertNoDuplicates(connection, report.chunks());
        }
    }

    @Test
    @Timeout(value = 90, unit = TimeUnit.SECONDS)
    void aWorkerThatStopsAnsweringIsKilledAfterTheHeartbeatTimeoutAndCountsAsACrash() throws Exception {
        Path input = Fixtures.generate(dir, 5_000, 71, 50);
        Supervision policy = new Supervision(2, Duration.ofMillis(50), Duration.ofMillis(200),
                Duration.ofSeconds(2));
        Worker.Factory hangsOnChunk1 = WorkerProcess.factory(input, policy.heartbeatTimeout(),
                List.of("-Dparlab.capstone.worker.hangOnChunk=1"));
        SupervisorTest.Events progress = new SupervisorTest.Events();
        long size = Files.size(input);
        Chunk chunk0 = new Chunk(0, 0, firstLineEnd(input));
        Chunk chunk1 = new Chunk(1, chunk0.end(), size);
        try (Supervisor supervisor = new Supervisor(hangsOnChunk1, 2, policy, Sleeper.REAL, progress)) {
            assertThatThrownBy(() -> supervisor.parse(chunk1)).as("a chunk whose worker freezes")
                    .isInstanceOf(ChunkQuarantinedException.class).hasMessageContaining("no answer");
            assertThat(supervisor.restarts()).as("frozen workers killed and replaced").isEqualTo(2);
            ChunkResult result = supervisor.parse(chunk0);
            try (Arena arena = Arena.ofConfined()) {
                ChunkResult local = ChunkParser.parse(Fixtures.map(input, arena), chunk0);
                assertThat(result.stations()).as("a worker JVM's result equals the parser's in this JVM")
                        .isEqualTo(local.stations());
                assertThat(result.lines()).as("lines").isEqualTo(local.lines());
            }
        }
        assertThat(progress.events).as("progress events").contains("quarantined 1 after 2");
    }

    @Test
    @Timeout(value = 90, unit = TimeUnit.SECONDS)
    void thePoolOfWorkerJvmsGrowsWhileChunksWaitAndEndsASpareJvmAfterTheIdleTimeout() throws Exception {
        Path input = Fixtures.generate(dir, 5_000, 91, 50);
        Chunk chunk0 = new Chunk(0, 0, firstLineEnd(input));
        Chunk chunk1 = new Chunk(1, chunk0.end(), Files.size(input));
        Supervision policy = Supervision.DEFAULT.withPool(1, Duration.ofSeconds(5));
        Worker.Factory jvms = WorkerProcess.factory(input, policy);
        List<Worker> started = new CopyOnWriteArrayList<>();
        CountDownLatch twoAtOnce = new CountDownLatch(2);
        Worker.Factory holdUntilTwoAreBusy = () -> { // real worker JVMs; a chunk waits until two are busy
            Worker jvm = jvms.start();
            started.add(jvm);
            return new Worker() {
                @Override
                public ChunkResult parse(Chunk chunk) throws WorkerCrashedException, InterruptedException {
                    twoAtOnce.countDown();
                    if (!twoAtOnce.await(30, TimeUnit.SECONDS)) {
                        throw new IllegalStateException("two chunks never ran at once: the pool did not grow");
                    }
                    return jvm.parse(chunk);
                }

                @Override
                public long pid() {
                    return jvm.pid();
                }

                @Override
                public void close() {
                    jvm.close();
                }
            };
        };
        SupervisorTest.FakeTime time = new SupervisorTest.FakeTime();
        SupervisorTest.Events progress = new SupervisorTest.Events();
        try (Supervisor supervisor = new Supervisor(holdUntilTwoAreBusy, 2, policy, time, progress);
                ExecutorService callers = Executors.newFixedThreadPool(2)) {
            assertThat(started).as("worker JVMs started up front: the minimum").hasSize(1);
            Future<ChunkResult> first = callers.submit(() -> supervisor.parse(chunk0));
            Future<ChunkResult> second = callers.submit(() -> supervisor.parse(chunk1));
            assertThat(first.get(60, TimeUnit.SECONDS).chunk()).as("first chunk's result").isEqualTo(chunk0);
            assertThat(second.get(60, TimeUnit.SECONDS).chunk()).as("second chunk's result").isEqualTo(chunk1);
            assertThat(started).as("worker JVMs once two chunks waited at once").hasSize(2);

            time.advance(Duration.ofSeconds(6));
            assertThat(supervisor.parse(chunk0).chunk()).as("a chunk after both were idle 6 s").isEqualTo(chunk0);
            assertThat(progress.alive).as("sizes told to progress.workersAlive").containsExactly(1, 2, 1);
            Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> started.stream()
                    .filter(w -> ProcessHandle.of(w.pid()).filter(ProcessHandle::isAlive).isPresent()).count() == 1);
        }
    }

    private static long firstLineEnd(Path input) throws Exception {
        byte[] bytes = Files.readAllBytes(input);
        for (int i = 0; i < bytes.length; i++) {
            if (bytes[i] == '\n') {
                return i + 1;
            }
        }
        return bytes.length;
    }

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void aChunkThatAlwaysCrashesItsWorkerIsQuarantinedTheRunEndsPartialAndARerunRetriesIt() throws Exception {
        Path input = Fixtures.generate(dir, 60_000, 81, 300);
        String expected = Fixtures.expected(input);
        Path db = dir.resolve("poison.duckdb");
        String[] args = {"--input", input.toString(), "--db-file", db.toString(), "--chunk-size", "64k",
            "--parallelism", "2", "--workers", "processes"};
        List<String> poison = new ArrayList<>(DrainTest.JVM);
        poison.add("-Dparlab.capstone.worker.haltOnChunk=3");
        String err;
        int total;
        CliTest.Outcome poisoned = Fixtures.runToEnd(poison, Duration.ofSeconds(60), args);
        err = poisoned.err();
        assertThat(poisoned.code()).as("exit code with a poison chunk (stderr:%n%s)", err)
                .isEqualTo(ExitCode.PARTIAL.code());
        assertThat(err).as("what the user is told").contains("chunk 3 ").contains("quarantined").contains("PARTIAL");
        try (DuckDBConnection connection = Fixtures.reopen(db)) {
            total = (int) Fixtures.count(connection, "SELECT count(*) FROM " + Database.CHUNKS_DONE) + 1;
            assertThat(Fixtures.count(connection, "SELECT count(*) FROM " + Database.CHUNKS_DONE
                    + " WHERE chunk_id = 3")).as("the quarantined chunk is not marked done").isZero();
            assertThat(total).as("chunks in the file").isGreaterThan(4);
        }
        CliTest.Outcome rerun = Fixtures.runToEnd(DrainTest.JVM, Duration.ofSeconds(60), args);
        assertThat(rerun.code()).as("the rerun's exit code (stderr:%n%s)", rerun.err()).isZero();
        assertThat(rerun.out().strip()).as("the rerun's result").isEqualTo(expected);
        try (DuckDBConnection connection = Fixtures.reopen(db)) {
            assertThat(Fixtures.resultsTable(connection)).as("results table after the rerun").isEqualTo(expected);
            RunnerTest.assertNoDuplicates(connection, total);
        }
    }

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void sigtermInProcessModeDrainsExitsWithTheInterruptedCodeLeavesNoWorkerAndARerunEndsExact() throws Exception {
        DrainTest.sigtermMidRunThenResume(dir, List.of("--workers", "processes"));
    }
}
