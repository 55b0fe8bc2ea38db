package parlab.capstone;

import java.math.BigDecimal;
import java.sql.SQLException;

/**
 * Loads rows into one table fast, whatever the database: {@link Database#writer} gives DuckDB's {@code Appender}
 * for DuckDB and a {@code COPY ... FROM STDIN} for PostgreSQL. Row-by-row {@code INSERT}s are two orders of
 * magnitude slower; this is the seam that keeps the sink's SQL the same on both.
 *
 * <p>A row is {@code beginRow()}, one {@code append} per column in the table's order ({@code INTEGER} takes
 * {@code append(int)}, {@code BIGINT} {@code append(long)}, {@code VARCHAR} {@code append(String)},
 * {@code DECIMAL} {@code append(BigDecimal)}), then {@code endRow()}. Rows are held on the client until
 * {@link #flush()}, which sends them into the connection's open transaction: they become visible to others with
 * the connection's {@code commit()} and vanish with its {@code rollback()}, like any other statement of that
 * transaction. A writer may be kept open across transactions (flush before each commit). With auto-commit off,
 * DuckDB's JDBC driver opens the transaction only when a statement runs: rows flushed before any statement since
 * the last commit or rollback commit on their own, at once, so run a statement of the transaction first.
 *
 * <p>{@link #close()} ends the writer; what it does with rows appended since the last flush differs (DuckDB's
 * Appender sends them into the open transaction, the PostgreSQL writer drops them), so flush what must be kept,
 * and after a failure close the writers first, then roll back, then open new ones. Not thread-safe: one writer
 * belongs to the thread that owns its connection.
 */
public interface TableWriter extends AutoCloseable {
    TableWriter beginRow() throws SQLException;

    TableWriter append(int value) throws SQLException;

    TableWriter append(long value) throws SQLException;

    /** A {@code VARCHAR}; {@code null} is SQL's {@code NULL}. */
    TableWriter append(String value) throws SQLException;

    /** A {@code DECIMAL}; {@code null} is SQL's {@code NULL}. */
    TableWriter append(BigDecimal value) throws SQLException;

    TableWriter endRow() throws SQLException;

    /** Sends the rows appended so far into the connection's open transaction. */
    void flush() throws SQLException;

    @Override
    void close() throws SQLException;
}
