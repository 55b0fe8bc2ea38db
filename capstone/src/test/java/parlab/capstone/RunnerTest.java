package parlab.capstone;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.duckdb.DuckDBConnection;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import parlab.onebrc.Oracle;
import parlab.testing.Datasets;

/**
 * Milestones 3 and 4: {@link Runner} with {@link ChunkSink}, end to end on a real DuckDB file: exact on every 1BRC
 * sample and on generated files, rejects numbered in the whole file, bounded bytes in flight, and a run that
 * crashes after some commits resumes to exactly the same result with no duplicate row.
 */
class RunnerTest {
    @TempDir
    Path dir;

    private RunReport run(Path input, Path db, int parallelism, long chunkSize, Progress progress) throws Exception {
        try (DuckDBConnection connection = Fixtures.database(db)) {
            return Runner.run(Config.of(input, "jdbc:duckdb:" + db, parallelism, chunkSize), connection, progress);
        }
    }

    /** No chunk twice, no partial twice, every chunk done. */
    static void assertNoDuplicates(Connection db, int chunks) throws Exception {
        assertThat(Fixtures.count(db, "SELECT count(*) FROM " + Database.CHUNKS_DONE))
                .as("chunks_done has one row per chunk").isEqualTo(chunks);
        assertThat(Fixtures.count(db, "SELECT count(DISTINCT chunk_id) FROM " + Database.CHUNKS_DONE))
                .as("no chunk is marked done twice").isEqualTo(chunks);
        assertThat(Fixtures.count(db, "SELECT count(*) FROM (SELECT chunk_id, station FROM " + Database.PARTIALS
                + " GROUP BY chunk_id, station HAVING count(*) > 1) d")).as("no (chunk, station) partial is stored twice")
                .isZero();
        assertThat(Fixtures.count(db, "SELECT count(*) FROM " + Database.PARTIALS + " WHERE chunk_id NOT IN "
                + "(SELECT chunk_id FROM " + Database.CHUNKS_DONE + ")"))
                .as("no partial of a chunk that is not marked done").isZero();
        assertThat(Fixtures.count(db, "SELECT count(*) FROM (SELECT byte_offset FROM " + Database.REJECTS
                + " GROUP BY byte_offset HAVING count(*) > 1) d")).as("no reject is stored twice").isZero();
    }

    @Test
    void everyOneBrcSampleGivesItsExpectedOutput() throws Exception {
        int i = 0;
        for (Path sample : Datasets.oneBrcSamples()) {
            Path db = dir.resolve("sample-" + i++ + ".duckdb");
            long chunkSize = Files.size(sample) > 100_000 ? 8192 : 32;
            RunReport report = run(sample, db, 3, chunkSize, Progress.NONE);
            String expected = Datasets.expectedOutput(sample);
            assertThat(report.formatted()).as("result of %s (chunks of %d bytes, 3 threads)", sample.getFileName(),
                    chunkSize).isEqualTo(expected);
            try (DuckDBConnection connection = Fixtures.reopen(db)) {
                assertThat(Fixtures.resultsTable(connection)).as("the results table of %s", sample.getFileName())
                        .isEqualTo(expected);
                assertNoDuplicates(connection, report.chunks());
            }
        }
    }

    @ParameterizedTest(name = "{0} rows, seed {1}, {2} stations, chunks of {3} bytes, {4} threads")
    @CsvSource({
        "20000, 1, 10, 4096, 2",
        "30000, 2, 413, 8192, 3",
        "50000, 3, 10000, 65536, 2",
        "100, 4, 1, 1, 4",
    })
    void generatedFilesEqualTheOracle(long rows, long seed, int stations, long chunkSize, int threads) throws Exception {
        Path input = Fixtures.generate(dir, rows, seed, stations);
        String oracle = Oracle.resultOf(input);
        assertThat(Fixtures.expected(input)).as("the generator and the oracle agree").isEqualTo(oracle);
        Path db = dir.resolve("gen.duckdb");
        RunReport report = run(input, db, threads, chunkSize, Progress.NONE);
        assertThat(report.formatted()).as("result printed").isEqualTo(oracle);
        assertThat(report.rows()).as("rows counted").isEqualTo(rows);
        assertThat(report.rejects()).as("no rejects in a well-formed file").isZero();
        assertThat(report.skipped()).as("nothing to skip on a fresh database").isZero();
        try (DuckDBConnection connection = Fixtures.reopen(db)) {
            assertThat(Fixtures.resultsTable(connection)).as("results table").isEqualTo(oracle);
            assertNoDuplicates(connection, report.chunks());
        }
    }

    @Test
    void badLinesLandInRejectsWithTheirFileLineNumberAndTheRestIsExact() throws Exception {
        // good lines from the generator, with the hand-made lines of ChunkParserTest spread through them
        Path generated = Fixtures.generate(dir, 4000, 9, 40);
        List<String> good = Files.readAllLines(generated, StandardCharsets.UTF_8);
        List<byte[]> lines = new ArrayList<>();
        List<String> expectedRejects = new ArrayList<>();
        List<ChunkParserTest.Line> goodOnes = new ArrayList<>();
        long offset = 0;
        int next = 0;
        for (int i = 0; i < good.size(); i++) {
            ChunkParserTest.Line line = i % 150 == 7 && next < ChunkParserTest.LINES.size()
                    ? ChunkParserTest.LINES.get(next++) : ChunkParserTest.Line.good(good.get(i));
            lines.add(line.bytes());
            if (line.reason() != null) {
                expectedRejects.add((lines.size()) + ":" + offset + ":" + line.reason());
            } else {
                goodOnes.add(line);
            }
            offset += line.bytes().length + 1;
        }
        Path input = dir.resolve("bad.txt");
        try (var out = Files.newOutputStream(input)) {
            for (byte[] line : lines) {
                out.write(line);
                out.write('\n');
            }
        }
        String expected = ResultFormat.format(ChunkParserTest.expectedStations(goodOnes));
        Path db = dir.resolve("bad.duckdb");
        RunReport report = run(input, db, 3, 1500, Progress.NONE);
        assertThat(report.chunks()).as("many chunks").isGreaterThan(30);
        assertThat(report.formatted()).as("the good lines' result, as if the bad lines were not there")
                .isEqualTo(expected);
        assertThat(report.rejects()).as("rejects counted").isEqualTo(expectedRejects.size());
        try (DuckDBConnection connection = Fixtures.reopen(db)) {
            List<String> stored = Fixtures.rejectsTable(connection).stream()
                    .map(r -> r.substring(0, r.indexOf(':', r.indexOf(':') + 1) + 1)).toList();
            List<String> wanted = expectedRejects.stream()
                    .map(r -> r.substring(0, r.indexOf(':', r.indexOf(':') + 1) + 1)).toList();
            assertThat(stored).as("rejects as line_number:byte_offset: the line number counts the lines of all the"
                    + " chunks before (chunks finish out of order)").isEqualTo(wanted);
            List<String> full = Fixtures.rejectsTable(connection);
            for (int i = 0; i < wanted.size(); i++) {
                assertThat(full.get(i)).as("reject %d as line_number:byte_offset:reason", i)
                        .startsWith(expectedRejects.get(i));
            }
            assertThat(Fixtures.resultsTable(connection)).as("results table").isEqualTo(expected);
            assertNoDuplicates(connection, report.chunks());
        }
    }

    @Test
    void bytesInFlightStayWithinTheBudget() throws Exception {
        Path input = Fixtures.generate(dir, 40_000, 5, 100);
        long chunkSize = 4096;
        long budget = 3 * chunkSize + chunkSize / 2;
        List<Long> inFlight = Collections.synchronizedList(new ArrayList<>());
        List<Long> sizes = Collections.synchronizedList(new ArrayList<>());
        AtomicInteger committed = new AtomicInteger();
        AtomicLong rowsTold = new AtomicLong();
        Progress watch = new Progress() {
            @Override
            public void started(Chunk chunk, long bytesInFlight) {
                inFlight.add(bytesInFlight);
                sizes.add(chunk.size());
            }

            @Override
            public void committed(Chunk chunk, int done, int total) {
                assertThat(done).as("committed count").isEqualTo(committed.incrementAndGet());
            }

            @Override
            public void committed(ChunkResult result, int done, int total) {
                rowsTold.addAndGet(result.rows());
                Progress.super.committed(result, done, total);
            }
        };
        RunReport report;
        try (DuckDBConnection connection = Fixtures.database(dir.resolve("b.duckdb"))) {
            report = Runner.run(new Config(input, "jdbc:duckdb:" + dir.resolve("b.duckdb"), 3, chunkSize, budget),
                    connection, watch);
        }
        assertThat(report.formatted()).isEqualTo(Fixtures.expected(input));
        assertThat(inFlight).as("progress.started(...) is told once per chunk").hasSize(report.chunks());
        assertThat(committed.get()).as("progress.committed(...) is told once per chunk").isEqualTo(report.chunks());
        assertThat(rowsTold.get()).as("progress.committed(result, done, total) is told every committed result")
                .isEqualTo(report.rows());
        for (int i = 0; i < inFlight.size(); i++) {
            assertThat(inFlight.get(i)).as("bytes in flight when chunk %d of %d bytes was handed out (budget %d)",
                    i, sizes.get(i), budget).satisfiesAnyOf(
                    v -> assertThat(v).isLessThanOrEqualTo(budget), v -> assertThat(v).isEqualTo(sizes.get(0)));
            assertThat(inFlight.get(i)).as("bytes in flight include the chunk just handed out")
                    .isGreaterThanOrEqualTo(sizes.get(i));
        }
        assertThat(inFlight.stream().mapToLong(Long::longValue).max().orElse(0))
                .as("the budget lets more than one chunk go at a time").isGreaterThan(2 * chunkSize);
    }

    /**
     * Group commit: a finished result is held while the workers still have chunks queued, and those held go in one
     * transaction. Seen from a second connection when progress hears of a commit, chunks_done then already holds
     * the transaction's other chunks: the number of different counts seen is the number of transactions.
     */
    @Test
    void finishedChunksAreCommittedTogetherWhileTheWorkersHaveChunksQueued() throws Exception {
        Path input = Fixtures.generate(dir, 40_000, 9, 100);
        long chunkSize = 8192;
        Path file = dir.resolve("grouped.duckdb");
        Set<Long> counts = new TreeSet<>();
        RunReport report;
        try (DuckDBConnection connection = Fixtures.database(file); DuckDBConnection watcher = connection.duplicate()) {
            Progress watch = (chunk, done, total) -> {
                try {
                    counts.add(Fixtures.count(watcher, "SELECT count(*) FROM " + Database.CHUNKS_DONE));
                } catch (SQLException e) {
                    throw new IllegalStateException(e);
                }
            };
            report = Runner.run(new Config(input, "jdbc:duckdb:" + file, 2, chunkSize, 8 * (chunkSize + 128)),
                    connection, watch);
        }
        assertThat(report.formatted()).isEqualTo(Fixtures.expected(input));
        assertThat(counts.size()).as("transactions for %d chunks, 2 workers and a budget of 8 chunks in flight"
                + " (chunks_done counts seen at each commit: %s); one per chunk means no group commit",
                report.chunks(), counts).isLessThanOrEqualTo(report.chunks() / 2);
    }

    /** A progress listener that crashes the run (as a kill would) once {@code after} chunks are committed. */
    static final class Crash extends RuntimeException {
        Crash() {
            super("simulated crash", null, false, false);
        }
    }

    /** Runs the pipeline on one database, telling {@code progress}. */
    @FunctionalInterface
    interface PipelineRun {
        RunReport with(Progress progress) throws Exception;
    }

    /**
     * Crashes runs after 1, 7 and 30 more commits (a listener that throws), checks after each that every commit
     * before the crash is kept ({@code database} opens the database), then runs to the end: the crashed runs'
     * chunks are skipped, the result is exact, the results table too, no row twice. Returns the last run's report.
     */
    static RunReport crashThenResume(PipelineRun run, Callable<Connection> database, String expected)
            throws Exception {
        long total = 0;
        for (int crashAfter : new int[] {1, 7, 30}) {
            int[] committedHere = {0};
            assertThatThrownBy(() -> run.with((chunk, done, all) -> {
                if (++committedHere[0] == crashAfter) {
                    throw new Crash();
                }
            })).as("the run crashes after %d more commits", crashAfter).isInstanceOf(Crash.class);
            try (Connection connection = database.call()) {
                long stored = Fixtures.count(connection, "SELECT count(*) FROM " + Database.CHUNKS_DONE);
                assertThat(stored).as("every commit told before the crash is kept (the crash may come while"
                        + " progress hears of a transaction's chunks: the others are kept too)")
                        .isGreaterThanOrEqualTo(total + crashAfter);
                total = stored;
            }
        }
        RunReport report = run.with(Progress.NONE);
        assertThat(report.skipped()).as("chunks committed by the crashed runs are skipped").isEqualTo(total);
        assertThat(report.formatted()).as("the resumed result counts the skipped chunks' stored partials too")
                .isEqualTo(expected);
        try (Connection connection = database.call()) {
            assertThat(Fixtures.resultsTable(connection)).as("results table after resuming").isEqualTo(expected);
            assertNoDuplicates(connection, report.chunks());
        }
        return report;
    }

    @Test
    void aRunThatCrashesAfterSomeCommitsResumesToTheSameResult() throws Exception {
        Path input = Fixtures.generate(dir, 30_000, 11, 200);
        String expected = Fixtures.expected(input);
        Path db = dir.resolve("resume.duckdb");
        RunReport report = crashThenResume(progress -> run(input, db, 2, 2048, progress), () -> Fixtures.reopen(db),
                expected);
        RunReport again = run(input, db, 2, 2048, Progress.NONE);
        assertThat(again.skipped()).as("a finished run started again has nothing left to do")
                .isEqualTo(report.chunks());
        assertThat(again.formatted()).as("and gives the same result").isEqualTo(expected);
        try (DuckDBConnection connection = Fixtures.reopen(db)) {
            assertThat(Fixtures.resultsTable(connection)).as("results table after a second finish").isEqualTo(expected);
            assertNoDuplicates(connection, report.chunks());
        }
    }
}
