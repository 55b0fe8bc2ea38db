package parlab.capstone;

import java.math.BigDecimal;
import java.sql.SQLException;
import org.duckdb.DuckDBAppender;
import org.duckdb.DuckDBConnection;

/** {@link TableWriter} for DuckDB: its {@link DuckDBAppender}, which writes straight into the table's storage. */
final class DuckDbTableWriter implements TableWriter {
    private final DuckDBAppender appender;

    DuckDbTableWriter(DuckDBConnection db, String table) throws SQLException {
        this.appender = db.createAppender(DuckDBConnection.DEFAULT_SCHEMA, table);
    }

    @Override
    public TableWriter beginRow() throws SQLException {
        appender.beginRow();
        return this;
    }

    @Override
    public TableWriter append(int value) throws SQLException {
        appender.append(value);
        return this;
    }

    @Override
    public TableWriter append(long value) throws SQLException {
        appender.append(value);
        return this;
    }

    @Override
    public TableWriter append(String value) throws SQLException {
        appender.append(value);
        return this;
    }

    @Override
    public TableWriter append(BigDecimal value) throws SQLException {
        appender.append(value);
        return this;
    }

    @Override
    public TableWriter endRow() throws SQLException {
        appender.endRow();
        return this;
    }

    @Override
    public void flush() throws SQLException {
        appender.flush();
    }

    /** Flushes what is still held (into the open transaction), then frees the appender. */
    @Override
    public void close() throws SQLException {
        appender.close();
    }
}
