package parlab.stage3.etl;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * The two tables of s3e13, created if missing:
 * <pre>
 * sales   (id BIGINT, name VARCHAR, amount_cents BIGINT, quantity INTEGER, total_cents BIGINT)   -- one row per good line
 * rejects (line BIGINT, raw VARCHAR, reason VARCHAR)   -- one row per bad line: its 1-based line number in the file,
 *                                                         its text without the line break, and why it was rejected
 * </pre>
 * Columns in this order, so that a DuckDB {@code Appender} appends them in this order too. The Appender checks
 * Java types strictly: a {@code BIGINT} column takes {@code append(long)}, an {@code INTEGER} one {@code append(int)}.
 */
public final class EtlSchema {
    public static final String SALES = "sales";
    public static final String REJECTS = "rejects";

    private EtlSchema() {
    }

    public static void createTables(Connection db) throws SQLException {
        try (Statement statement = db.createStatement()) {
            statement.execute("CREATE TABLE IF NOT EXISTS " + SALES
                    + " (id BIGINT, name VARCHAR, amount_cents BIGINT, quantity INTEGER, total_cents BIGINT)");
            statement.execute("CREATE TABLE IF NOT EXISTS " + REJECTS + " (line BIGINT, raw VARCHAR, reason VARCHAR)");
        }
    }
}
