package parlab.capstone;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;

/**
 * Milestone 3: the idempotent store, over the tables of {@link Database} (already created).
 *
 * <p>Contract: {@link #commit(List)} stores the {@code chunks_done} row, the partials and the rejects of one or
 * several chunks in ONE transaction, so that after a kill at any instant a chunk is either entirely stored or not at
 * all (several chunks per transaction share its fixed cost: planning, the log write, the flushes);
 * {@link #committed} gives back what earlier runs committed, so that a restarted run skips those chunks and no row
 * is ever stored twice; {@link #finish} (once every chunk is committed) sets every reject's {@code line_number}
 * (1-based, in the whole file) and replaces the {@code results} rows, in one transaction, and may be repeated.
 * Used by one thread. The same code must run on DuckDB and PostgreSQL: plain SQL and JDBC transactions, and load
 * rows with {@link Database#writer} (a {@link TableWriter}: DuckDB's Appender or PostgreSQL's {@code COPY}), not
 * row-by-row {@code INSERT}s.
 */
public final class ChunkSink implements AutoCloseable {
    public ChunkSink(Connection db) throws SQLException {
        throw new UnsupportedOperationException("TODO: turn auto-commit off and prepare what commit needs");
    }

    /** The chunks that earlier runs committed, by id, with their partials and rejects as stored. */
    public Map<Integer, ChunkResult> committed() throws SQLException {
        throw new UnsupportedOperationException("TODO: read chunks_done, partials and rejects back");
    }

    /** Stores one chunk: its partials, its rejects and its {@code chunks_done} row, in one transaction. */
    public void commit(ChunkResult result) throws SQLException {
        commit(List.of(result));
    }

    /** Stores several chunks (their partials, rejects and {@code chunks_done} rows) in one transaction. */
    public void commit(List<ChunkResult> results) throws SQLException {
        throw new UnsupportedOperationException("TODO: store the chunks and mark them done in one transaction");
    }

    /** Once every chunk is committed: numbers the rejects and replaces the results, in one transaction. */
    public void finish(SortedMap<String, StationStats> results) throws SQLException {
        throw new UnsupportedOperationException("TODO: fix up the rejects' line numbers and write the results");
    }

    @Override
    public void close() throws SQLException {
        throw new UnsupportedOperationException("TODO: close what the constructor opened, restore auto-commit");
    }
}
