package parlab.capstone;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.duckdb.DuckDBConnection;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

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
            sink.commit(first);
            sink.commit(second);
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
}
