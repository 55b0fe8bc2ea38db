package parlab.capstone;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;

/**
 * The idempotent store. A chunk's partials, its rejects and its row in {@code chunks_done} go in together, in ONE
 * transaction ({@link #commit}): after a crash at any instant a chunk is either entirely in the database or not at
 * all, and {@code chunks_done} says which. One transaction may hold several chunks ({@link #commit(List)}): its
 * fixed cost (writing and syncing the log, a flush per writer) is then paid once for them. A restarted run reads
 * {@link #committed()} and parses only the others, so each chunk is stored exactly once;
 * {@code chunks_done.chunk_id} is the primary key, so a second commit of the same chunk fails instead of duplicating
 * it. {@link #finish} writes what can only be known once every chunk is in
 * (the rejects' line numbers and the results), again in one transaction, and can be repeated.
 *
 * <p>Owned by one thread (the runner's committing thread): a JDBC connection is not for concurrent use.
 * Rows go in through {@link Database#writer} (DuckDB's Appender, PostgreSQL's {@code COPY}; row-by-row
 * {@code INSERT}s are two orders of magnitude slower); the writers stay open across chunks and are flushed before
 * each commit. The same code runs on DuckDB and PostgreSQL: plain SQL, JDBC transactions, and the writers.
 */
public final class ChunkSink implements AutoCloseable {
    private final Connection db;
    private final boolean autoCommit;
    /**
     * Prepared once, not per chunk (DuckDB plans a statement in about a millisecond), and again after a failed
     * commit (DuckDB closes a statement whose execution failed).
     */
    private PreparedStatement markDone;
    private TableWriter partials;
    private TableWriter rejects;

    public ChunkSink(Connection db) throws SQLException {
        this.db = db;
        this.autoCommit = db.getAutoCommit();
        db.setAutoCommit(false);
        open();
    }

    private void open() throws SQLException {
        markDone = db.prepareStatement("INSERT INTO " + Database.CHUNKS_DONE
                + " VALUES (?, ?, ?, ?, ?, ?, current_timestamp)");
        partials = Database.writer(db, Database.PARTIALS);
        rejects = Database.writer(db, Database.REJECTS);
    }

    /** The chunks that earlier runs committed, by id, with their partials and rejects as stored. */
    public Map<Integer, ChunkResult> committed() throws SQLException {
        Map<Integer, ChunkResult> done = new HashMap<>();
        Map<Integer, Map<String, StationStats>> stations = new HashMap<>();
        Map<Integer, List<Reject>> rejected = new HashMap<>();
        try (Statement s = db.createStatement()) {
            s.setFetchSize(10_000); // PostgreSQL streams (in this transaction) instead of loading all rows at once
            try (ResultSet rs = s.executeQuery("SELECT chunk_id, station, min, max, sum, count FROM "
                    + Database.PARTIALS)) {
                while (rs.next()) {
                    stations.computeIfAbsent(rs.getInt(1), id -> new HashMap<>()).put(rs.getString(2),
                            new StationStats(rs.getInt(3), rs.getInt(4), rs.getLong(5), rs.getLong(6)));
                }
            }
            try (ResultSet rs = s.executeQuery("SELECT chunk_id, byte_offset, line_in_chunk, reason, raw FROM "
                    + Database.REJECTS + " ORDER BY chunk_id, line_in_chunk")) {
                while (rs.next()) {
                    rejected.computeIfAbsent(rs.getInt(1), id -> new ArrayList<>())
                            .add(new Reject(rs.getLong(2), rs.getLong(3), rs.getString(4), rs.getString(5)));
                }
            }
            try (ResultSet rs = s.executeQuery("SELECT chunk_id, start_byte, end_byte, lines, rows FROM "
                    + Database.CHUNKS_DONE)) {
                while (rs.next()) {
                    int id = rs.getInt(1);
                    done.put(id, new ChunkResult(new Chunk(id, rs.getLong(2), rs.getLong(3)), rs.getLong(4),
                            rs.getLong(5), stations.getOrDefault(id, Map.of()), rejected.getOrDefault(id, List.of())));
                }
            }
        }
        db.commit();
        return done;
    }

    /** Stores one chunk: its partials, its rejects and its {@code chunks_done} row, in one transaction. */
    public void commit(ChunkResult result) throws SQLException {
        commit(List.of(result));
    }

    /** Stores several chunks (their partials, rejects and {@code chunks_done} rows) in one transaction. */
    public void commit(List<ChunkResult> results) throws SQLException {
        try {
            // A statement before any flush: DuckDB's JDBC driver begins the transaction when a statement runs, and
            // rows that a writer flushes while none is open commit on their own, at once (a kill between two
            // flushes would then leave a chunk half stored). A chunks_done row also fails at once for a chunk
            // committed before (chunk_id is the primary key). The writers are flushed once, for every chunk; after
            // a failure they are closed (closing a writer flushes what it holds, into the transaction rolled back
            // below).
            boolean anyRejects = false;
            for (ChunkResult result : results) {
                Chunk chunk = result.chunk();
                int id = chunk.id();
                markDone.setInt(1, id);
                markDone.setLong(2, chunk.start());
                markDone.setLong(3, chunk.end());
                markDone.setLong(4, result.lines());
                markDone.setLong(5, result.rows());
                markDone.setLong(6, result.rejected());
                markDone.executeUpdate();
                for (Map.Entry<String, StationStats> e : result.stations().entrySet()) {
                    StationStats s = e.getValue();
                    partials.beginRow().append(id).append(e.getKey()).append(s.min()).append(s.max()).append(s.sum())
                            .append(s.count()).endRow();
                }
                for (Reject r : result.rejects()) {
                    rejects.beginRow().append(id).append(r.lineInChunk()).append(r.byteOffset()).append(0L)
                            .append(r.reason()).append(r.raw()).endRow();
                    anyRejects = true;
                }
            }
            partials.flush();
            if (anyRejects) {
                rejects.flush();
            }
            db.commit();
        } catch (SQLException | RuntimeException e) {
            // closing a writer may flush what it still holds into the open transaction (DuckDB's Appender does):
            // close them first, then roll back, so that nothing of these chunks reaches the next commit; then
            // start with fresh writers and a fresh statement
            try (PreparedStatement m = markDone; TableWriter p = partials; TableWriter r = rejects) {
                markDone = null;
                partials = null;
                rejects = null;
            } catch (SQLException | RuntimeException closing) {
                e.addSuppressed(closing);
            }
            db.rollback();
            open();
            throw e;
        }
    }

    /**
     * Once every chunk is committed: numbers the rejects (line number = the lines of all chunks before + the
     * place in the chunk + 1) and replaces the results, in one transaction.
     */
    public void finish(SortedMap<String, StationStats> results) throws SQLException {
        try (Statement s = db.createStatement()) {
            s.executeUpdate("UPDATE " + Database.REJECTS + " SET line_number = " + Database.REJECTS
                    + ".line_in_chunk + 1 + p.before FROM (SELECT chunk_id, sum(lines) OVER (ORDER BY chunk_id)"
                    + " - lines AS before FROM " + Database.CHUNKS_DONE + ") p WHERE p.chunk_id = "
                    + Database.REJECTS + ".chunk_id");
            s.executeUpdate("DELETE FROM " + Database.RESULTS);
            try (TableWriter out = Database.writer(db, Database.RESULTS)) {
                for (Map.Entry<String, StationStats> e : results.entrySet()) {
                    StationStats st = e.getValue();
                    out.beginRow().append(e.getKey()).append(BigDecimal.valueOf(st.min(), 1))
                            .append(BigDecimal.valueOf(st.meanTenths(), 1)).append(BigDecimal.valueOf(st.max(), 1))
                            .endRow();
                }
                out.flush();
            }
            s.executeUpdate("UPDATE " + Database.RUNS + " SET finished = current_timestamp");
            db.commit();
        } catch (SQLException | RuntimeException e) {
            db.rollback();
            throw e;
        }
    }

    @Override
    public void close() throws SQLException {
        try (PreparedStatement m = markDone; TableWriter p = partials; TableWriter r = rejects) {
            // closed in reverse order; whatever they still hold was never committed and is rolled back below
        } finally {
            db.rollback(); // restoring auto-commit would commit a pending transaction
            db.setAutoCommit(autoCommit);
        }
    }
}
