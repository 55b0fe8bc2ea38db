package parlab.capstone;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import parlab.onebrc.Oracle;
import parlab.testing.Datasets;
import parlab.testing.IgnoreThreads;

/**
 * Milestones 3 and 4 on a real PostgreSQL server ({@link PostgresServer}, one for the class): the same
 * {@link ChunkSink} and {@link Runner} as on DuckDB give the same results, the same reject line numbers, and the
 * same idempotency (a run killed with SIGKILL in a child JVM resumes to the exact result without a duplicate
 * row); a server that cannot be reached is one line that says what to do.
 *
 * <p>The PostgreSQL driver keeps one daemon thread for the whole JVM, {@code PostgreSQL-JDBC-Cleaner}, that frees
 * what abandoned connections hold; it outlives the last connection by its own idle timeout (30 s), with no way to
 * join it, like the JDK's {@code Common-Cleaner}. Every connection here is closed; that thread alone is let be.
 */
@IgnoreThreads("PostgreSQL-JDBC-Cleaner")
class PostgresTest {
    private static PostgresServer server;

    @TempDir
    Path dir;

    @BeforeAll
    @Timeout(value = 120, unit = TimeUnit.SECONDS) // unpacking the binaries (once), initdb, start: seconds, or more
    static void startServer() throws Exception {
        server = PostgresServer.start();
    }

    @AfterAll
    @Timeout(value = 90, unit = TimeUnit.SECONDS) // pg_ctl stop waits up to 60 s for the server to go
    static void stopServer() throws Exception {
        if (server != null) {
            server.close();
        }
    }

    private static RunReport run(Path input, String url, int parallelism, long chunkSize, Progress progress)
            throws Exception {
        try (Connection connection = Database.open(url)) {
            return Runner.run(Config.of(input, url, parallelism, chunkSize), connection, progress);
        }
    }

    /** {@link ChunkSinkTest#aCommitRefusedHalfWayStoresNothingOfItsChunk}, on PostgreSQL (COPY into each table). */
    @ParameterizedTest(name = "refused by {0}")
    @ValueSource(strings = {Database.CHUNKS_DONE, Database.PARTIALS, Database.REJECTS})
    void aCommitRefusedHalfWayStoresNothingOfItsChunk(String refusing) throws Exception {
        String url = server.createDatabase();
        try (Connection setUp = DriverManager.getConnection(url)) {
            ChunkSinkTest.createRefusing(setUp, refusing);
        }
        ChunkSinkTest.assertRefusedCommitStoresNothing(url, refusing);
    }

    @Test
    void theSinkStoresAChunkOnceAndAfterARefusedCommitStillWorks() throws Exception {
        String url = server.createDatabase();
        ChunkResult first = ChunkSinkTest.result(0, 0, 40, 3, "Hamburg", 123,
                new Reject(12, 1, Reasons.NOT_A_NUMBER, "Hamburg;1.0\r\t\\N"));
        ChunkResult second = ChunkSinkTest.result(1, 40, 70, 2, "Zürich", -45,
                new Reject(55, 1, Reasons.NO_SEPARATOR, "junk"));
        try (Connection db = Database.open(url); ChunkSink sink = new ChunkSink(db)) {
            assertThat(sink.committed()).as("a fresh database has no committed chunk").isEmpty();
            sink.commit(first);
            sink.commit(second);
            assertThatThrownBy(() -> sink.commit(ChunkSinkTest.result(0, 0, 40, 3, "Hamburg", 999)))
                    .as("a second commit of chunk 0 is refused (chunks_done.chunk_id is the primary key)")
                    .isInstanceOf(SQLException.class);
            assertThatCode(() -> sink.commit(ChunkSinkTest.result(2, 70, 80, 1, "Hamburg", 7)))
                    .as("after a refused commit the sink still works (PostgreSQL aborts the whole transaction: was"
                            + " it rolled back?)").doesNotThrowAnyException();
            Map<Integer, ChunkResult> back = sink.committed();
            assertThat(back.keySet()).as("committed chunks, the refused one once").containsExactlyInAnyOrder(0, 1, 2);
            assertThat(back.get(0)).as("chunk 0 as stored (its raw line with CR, tab and backslash intact)")
                    .isEqualTo(first);
            assertThat(back.get(1)).as("chunk 1 as stored").isEqualTo(second);
            TreeMap<String, StationStats> results = new TreeMap<>();
            back.values().forEach(r -> r.stations().forEach((k, v) -> results.computeIfAbsent(k,
                    x -> new StationStats()).merge(v)));
            sink.finish(results);
            sink.finish(results);
        }
        try (Connection db = DriverManager.getConnection(url)) {
            RunnerTest.assertNoDuplicates(db, 3);
            assertThat(Fixtures.resultsTable(db)).as("results after finish (twice)")
                    .isEqualTo("{Hamburg=0.7/6.5/12.3, Zürich=-4.5/-4.5/-4.5}");
            assertThat(Fixtures.rejectsTable(db)).as("rejects numbered in the file: chunk 0 has 3 lines")
                    .containsExactly("2:12:" + Reasons.NOT_A_NUMBER + ":Hamburg;1.0\r\t\\N",
                            "5:55:" + Reasons.NO_SEPARATOR + ":junk");
        }
    }

    @Test
    @Timeout(value = 90, unit = TimeUnit.SECONDS) // 25 runs against a server, on a shared 2-core machine
    void everyOneBrcSampleGivesItsExpectedOutputOnPostgresql() throws Exception {
        String database = server.createDatabase();
        int i = 0;
        for (Path sample : Datasets.oneBrcSamples()) {
            String schema = "sample_" + i++;
            try (Connection c = DriverManager.getConnection(database); Statement s = c.createStatement()) {
                s.execute("CREATE SCHEMA " + schema);
            }
            String url = database + "&currentSchema=" + schema;
            long chunkSize = Files.size(sample) > 100_000 ? 8192 : 32;
            RunReport report = run(sample, url, 3, chunkSize, Progress.NONE);
            String expected = Datasets.expectedOutput(sample);
            assertThat(report.formatted()).as("result of %s (chunks of %d bytes, 3 threads)", sample.getFileName(),
                    chunkSize).isEqualTo(expected);
            try (Connection connection = DriverManager.getConnection(url)) {
                assertThat(Fixtures.resultsTable(connection)).as("the results table of %s", sample.getFileName())
                        .isEqualTo(expected);
                RunnerTest.assertNoDuplicates(connection, report.chunks());
            }
        }
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void throughTheCliAGeneratedFileEqualsTheOracleAndEveryDatabaseProblemIsOneLine() throws Exception {
        Path input = Fixtures.generate(dir, 50_000, 31, 500);
        String oracle = Oracle.resultOf(input);
        String url = server.createDatabase();
        CliTest.Outcome first = CliTest.run("--input", input.toString(), "--db", url, "--chunk-size", "8k",
                "--parallelism", "3");
        assertThat(first.code()).as("exit code (stderr: %s)", first.err()).isZero();
        assertThat(first.out().strip()).as("the result printed").isEqualTo(oracle);
        int chunks;
        try (Connection connection = DriverManager.getConnection(url)) {
            assertThat(Fixtures.resultsTable(connection)).as("the results table").isEqualTo(oracle);
            chunks = (int) Fixtures.count(connection, "SELECT count(*) FROM " + Database.CHUNKS_DONE);
            assertThat(chunks).as("chunks of 8 KiB").isGreaterThan(50);
            RunnerTest.assertNoDuplicates(connection, chunks);
        }
        CliTest.Outcome again = CliTest.run("--input", input.toString(), "--db", url, "--chunk-size", "8k");
        assertThat(again.out().strip()).as("a finished run started again gives the same result").isEqualTo(oracle);
        try (Connection connection = DriverManager.getConnection(url)) {
            RunnerTest.assertNoDuplicates(connection, chunks);
        }

        Set<Integer> codes = new HashSet<>();
        String rest = "--input=" + input;
        int closed = PostgresServer.freePort();
        check(CliTest.run(rest, "--db", url.replace(":" + server.port() + "/", ":" + closed + "/")),
                ExitCode.DATABASE_UNREACHABLE, "start the PostgreSQL server, or fix HOST:PORT", codes);
        check(CliTest.run(rest, "--db", url.replace(PostgresServer.PASSWORD, "wrong")),
                ExitCode.DATABASE_UNREACHABLE, "fix user= and password=", null);
        check(CliTest.run(rest, "--db", server.url("no_such_database")), ExitCode.DATABASE_UNREACHABLE,
                "create it (CREATE DATABASE), or fix the database name", null);
        check(CliTest.run(rest, "--db", "jdbc:mysql://127.0.0.1/x"), ExitCode.BAD_OPTION,
                "jdbc:postgresql://HOST:PORT/DATABASE", codes);
        check(CliTest.run(rest, "--db", url, "--chunk-size", "16k"), ExitCode.DATABASE_OF_ANOTHER_RUN,
                "--chunk-size 8192", codes);
    }

    private static void check(CliTest.Outcome outcome, ExitCode expected, String mentions, Set<Integer> codes) {
        assertThat(outcome.code()).as("exit code (stderr: %s)", outcome.err()).isEqualTo(expected.code());
        assertThat(outcome.err().strip().lines().count()).as("one line on stderr: %s", outcome.err()).isEqualTo(1);
        assertThat(outcome.err()).as("the message says what to do").contains(mentions);
        assertThat(outcome.err()).as("the message does not show the password")
                .doesNotContain(PostgresServer.PASSWORD);
        assertThat(outcome.out()).as("nothing on stdout on failure").isEmpty();
        if (codes != null) {
            assertThat(codes.add(outcome.code())).as("exit code %d is not shared with another kind of failure",
                    outcome.code()).isTrue();
        }
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void badLinesLandInRejectsWithTheirFileLineNumberAndTheRestIsExact() throws Exception {
        // good lines from the generator, with the hand-made lines of ChunkParserTest spread through them
        List<String> good = Files.readAllLines(Fixtures.generate(dir, 4000, 9, 40), StandardCharsets.UTF_8);
        List<String> expectedRejects = new ArrayList<>();
        List<ChunkParserTest.Line> goodOnes = new ArrayList<>();
        Path input = dir.resolve("bad.txt");
        try (var out = Files.newOutputStream(input)) {
            long offset = 0;
            int next = 0;
            for (int i = 0; i < good.size(); i++) {
                ChunkParserTest.Line line = i % 150 == 7 && next < ChunkParserTest.LINES.size()
                        ? ChunkParserTest.LINES.get(next++) : ChunkParserTest.Line.good(good.get(i));
                if (line.reason() != null) {
                    expectedRejects.add((i + 1) + ":" + offset + ":" + line.reason() + ":");
                } else {
                    goodOnes.add(line);
                }
                out.write(line.bytes());
                out.write('\n');
                offset += line.bytes().length + 1;
            }
        }
        String expected = ResultFormat.format(ChunkParserTest.expectedStations(goodOnes));
        String url = server.createDatabase();
        RunReport report = run(input, url, 3, 1500, Progress.NONE);
        assertThat(report.chunks()).as("many chunks").isGreaterThan(30);
        assertThat(report.formatted()).as("the good lines' result, as if the bad lines were not there")
                .isEqualTo(expected);
        try (Connection connection = DriverManager.getConnection(url)) {
            List<String> stored = Fixtures.rejectsTable(connection);
            assertThat(stored).as("one reject per bad line").hasSameSizeAs(expectedRejects);
            for (int i = 0; i < stored.size(); i++) {
                assertThat(stored.get(i)).as("reject %d as line_number:byte_offset:reason:raw (raw text with tabs,"
                        + " CRs and invalid UTF-8 goes through COPY)", i).startsWith(expectedRejects.get(i));
            }
            assertThat(Fixtures.resultsTable(connection)).as("results table").isEqualTo(expected);
            RunnerTest.assertNoDuplicates(connection, report.chunks());
        }
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void aRunThatCrashesAfterSomeCommitsResumesToTheSameResult() throws Exception {
        Path input = Fixtures.generate(dir, 30_000, 11, 200);
        String expected = Fixtures.expected(input);
        String url = server.createDatabase();
        RunnerTest.crashThenResume(progress -> run(input, url, 2, 2048, progress),
                () -> DriverManager.getConnection(url), expected);
    }

    @Test
    @Timeout(value = 90, unit = TimeUnit.SECONDS) // three child JVMs, on a shared 2-core machine
    void aChildJvmKilledAfterCommitsAndStartedAgainEndsExactWithoutDuplicates() throws Exception {
        Path input = Fixtures.generate(dir, 60_000, 21, 300);
        String expected = Fixtures.expected(input);
        String url = server.createDatabase();
        String[] args = {"--input", input.toString(), "--db", url, "--chunk-size", "16k", "--parallelism", "2",
            "--progress"};
        KillAndResumeTest.killAndResume(args, new int[] {3, 20}, expected, () -> DriverManager.getConnection(url));
    }
}
