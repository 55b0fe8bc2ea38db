package parlab.capstone;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.duckdb.DuckDBConnection;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Milestone 3: {@link ChunkSink} stores a chunk all at once or not at all, and reads back what it stored. */
class ChunkSinkTest {
    @TempDir
    Path dir;

    static ChunkResult result(int id, long start, long end, long lines, String station, int tenths, Reject... rejects) {
        StationStats stats = new StationStats();
        stats.add(tenths);
        return new ChunkResult(new Chunk(id, start, end), lines, lines - rejects.length, Map.of(station, stats),
                List.of(rejects));
    }

    @Test
    void aChunkIsStoredOnceAndReadBackAndASecondCommitOfItChangesNothing() throws Exception {
        Path file = dir.resolve("sink.duckdb");
        ChunkResult first = result(0, 0, 40, 3, "Hamburg", 123, new Reject(12, 1, Reasons.EMPTY_LINE, ""));
        ChunkResult second = result(1, 40, 70, 2, "Zürich", -45, new Reject(55, 1, Reasons.NO_SEPARATOR, "junk"));
        try (DuckDBConnection db = Fixtures.database(file); ChunkSink sink = new ChunkSink(db)) {
            assertThat(sink.committed()).as("a fresh database has no committed chunk").isEmpty();
            sink.commit(List.of(first, second));
            ChunkResult duplicate = result(0, 0, 40, 3, "Hamburg", 999, new Reject(12, 1, Reasons.EMPTY_LINE, ""));
            assertThatThrownBy(() -> sink.commit(duplicate))
                    .as("a second commit of chunk 0 is refused (chunks_done.chunk_id is the primary key)")
                    .isInstanceOf(SQLException.class);
            assertThatCode(() -> sink.commit(result(2, 70, 80, 1, "Hamburg", 7)))
                    .as("after a refused commit the sink still works (was the failed transaction rolled back?)")
                    .doesNotThrowAnyException();
            Map<Integer, ChunkResult> back = sink.committed();
            assertThat(back.keySet()).as("committed chunks, the refused one once").containsExactlyInAnyOrder(0, 1, 2);
            assertThat(back.get(0)).as("chunk 0 as stored: nothing of the refused second commit slipped in")
                    .isEqualTo(first);
            assertThat(back.get(1)).as("chunk 1 as stored").isEqualTo(second);
            TreeMap<String, StationStats> results = new TreeMap<>();
            back.values().forEach(r -> r.stations().forEach((k, v) -> results.computeIfAbsent(k,
                    x -> new StationStats()).merge(v)));
            sink.finish(results);
            sink.finish(results);
        }
        try (DuckDBConnection db = Fixtures.reopen(file)) {
            RunnerTest.assertNoDuplicates(db, 3);
            assertThat(Fixtures.count(db, "SELECT count(*) FROM " + Database.PARTIALS))
                    .as("one partial per chunk and station").isEqualTo(3);
            assertThat(Fixtures.resultsTable(db)).as("results after finish (twice)")
                    .isEqualTo("{Hamburg=0.7/6.5/12.3, Zürich=-4.5/-4.5/-4.5}");
            assertThat(Fixtures.rejectsTable(db)).as("rejects numbered in the file: chunk 0 has 3 lines")
                    .containsExactly("2:12:" + Reasons.EMPTY_LINE + ":", "5:55:" + Reasons.NO_SEPARATOR + ":junk");
            assertThat(db.getAutoCommit()).as("fresh connection").isTrue();
        }
    }

    /**
     * A commit that one of its three tables refuses half-way (the table, made for the test, already holds a row of
     * chunk 7 under a unique key) stores nothing of its chunks, 6 and 7, neither at once nor with the next commit,
     * whatever the order in which the commit writes the tables. This is what a kill between two writes would leave
     * if the chunks were not in one transaction: with DuckDB's driver, for instance, rows that a writer flushes
     * before any statement of the transaction has run commit on their own. (A CHECK constraint would be simpler,
     * but DuckDB's Appender checks one only in its first flush.)
     */
    @ParameterizedTest(name = "refused by {0}")
    @ValueSource(strings = {Database.CHUNKS_DONE, Database.PARTIALS, Database.REJECTS})
    void aCommitRefusedHalfWayStoresNothingOfItsChunk(String refusing) throws Exception {
        String url = "jdbc:duckdb:" + dir.resolve("refused.duckdb");
        try (Connection setUp = DriverManager.getConnection(url)) {
            createRefusing(setUp, refusing);
        }
        assertRefusedCommitStoresNothing(url, refusing);
    }

    /** Creates {@code table} as the capstone does, with chunk_id unique and a planted row of chunk 7. */
    static void createRefusing(Connection db, String table) throws SQLException {
        String planted = switch (table) {
            case Database.CHUNKS_DONE -> "7, 70, 80, 2, 1, 1, NULL";
            case Database.PARTIALS -> "7, 'Planted', 0, 0, 0, 1";
            case Database.REJECTS -> "7, 0, 70, 0, 'planted', ''";
            default -> throw new IllegalArgumentException(table);
        };
        String unique = table.equals(Database.CHUNKS_DONE) ? "" : ", UNIQUE (chunk_id)"; // there: the primary key
        try (Statement s = db.createStatement()) {
            s.execute("CREATE TABLE " + table + " (" + Database.columns(table) + unique + ")");
            s.execute("INSERT INTO " + table + " VALUES (" + planted + ")");
        }
    }

    /**
     * Commits chunk 0; chunks 6 and 7 in one transaction, which {@code refusing} refuses for chunk 7; chunk 1. Then
     * only chunks 0 and 1 are stored, beside the planted row.
     */
    static void assertRefusedCommitStoresNothing(String url, String refusing) throws Exception {
        ChunkResult alongside = result(6, 60, 70, 2, "Oslo", -17, new Reject(65, 0, Reasons.NO_SEPARATOR, "x"));
        ChunkResult refused = result(7, 70, 80, 2, "Refused", 11, new Reject(75, 1, Reasons.EMPTY_LINE, ""));
        try (Connection db = Database.open(url); ChunkSink sink = new ChunkSink(db)) {
            sink.commit(result(0, 0, 40, 3, "Hamburg", 123, new Reject(12, 1, Reasons.EMPTY_LINE, "")));
            assertThatThrownBy(() -> sink.commit(List.of(alongside, refused)))
                    .as("the commit of chunks 6 and 7, whose row in " + refusing + " breaks a unique key")
                    .isInstanceOf(SQLException.class);
            assertThatCode(() -> sink.commit(result(1, 40, 70, 2, "Zürich", -45,
                    new Reject(55, 1, Reasons.NO_SEPARATOR, "junk"))))
                    .as("after a refused commit the sink still works").doesNotThrowAnyException();
        }
        try (Connection db = DriverManager.getConnection(url)) {
            for (String table : List.of(Database.CHUNKS_DONE, Database.PARTIALS, Database.REJECTS)) {
                long planted = table.equals(refusing) ? 1 : 0;
                assertThat(Fixtures.count(db, "SELECT count(*) FROM " + table + " WHERE chunk_id IN (6, 7)")
                        - planted).as("rows of chunks 6 and 7 in " + table + " after their commit failed on "
                                + refusing + " (one transaction leaves none: were rows written outside it, or kept in"
                                + " a writer and committed with the next chunk?)")
                        .isZero();
            }
            assertThat(Fixtures.count(db, "SELECT count(*) FROM " + Database.CHUNKS_DONE)
                    + Fixtures.count(db, "SELECT count(*) FROM " + Database.PARTIALS)
                    + Fixtures.count(db, "SELECT count(*) FROM " + Database.REJECTS))
                    .as("rows of chunks 0 and 1 (one in each table for each) and the planted one").isEqualTo(7);
        }
    }
}
