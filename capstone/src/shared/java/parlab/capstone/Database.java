package parlab.capstone;

import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.duckdb.DuckDBConnection;

/**
 * The database side that skeleton and reference share: opening the connection (with a one-line error), the schema,
 * and the run's identity. The tables:
 * <pre>
 * runs        (input, size, modified_millis, chunk_size, started, finished)      -- one row: what this database is for
 * chunks_done (chunk_id PRIMARY KEY, start_byte, end_byte, lines, rows, rejects, committed)
 * partials    (chunk_id, station, min, max, sum, count)        -- per chunk and station, temperatures in tenths
 * results     (station, min, mean, max)                         -- DECIMAL(3,1), written when every chunk is done
 * rejects     (chunk_id, line_in_chunk, byte_offset, line_number, reason, raw)
 *                                                               -- line_number is 1-based in the file; 0 until the
 *                                                                  run has finished and it can be known
 * </pre>
 * Columns in this order, so that a DuckDB {@code Appender} appends them in this order too ({@code INTEGER} takes
 * {@code append(int)}, {@code BIGINT} {@code append(long)}).
 */
public final class Database {
    public static final String RUNS = "runs";
    public static final String CHUNKS_DONE = "chunks_done";
    public static final String PARTIALS = "partials";
    public static final String RESULTS = "results";
    public static final String REJECTS = "rejects";

    private Database() {
    }

    /** Opens the database at {@code url} and creates the tables if they are missing. */
    public static DuckDBConnection open(String url) {
        if (!url.startsWith("jdbc:duckdb:")) {
            throw new CapstoneException(ExitCode.BAD_OPTION, "unsupported database URL " + url
                    + "; this version stores into DuckDB only: pass --db jdbc:duckdb:FILE");
        }
        DuckDBConnection db;
        try {
            db = (DuckDBConnection) DriverManager.getConnection(url);
        } catch (SQLException e) {
            throw new CapstoneException(ExitCode.DATABASE_UNREACHABLE, "cannot open database " + url + ": "
                    + firstLine(e.getMessage()) + "; check the path, that its folder exists and that no other run "
                    + "holds it");
        }
        try {
            createTables(db);
            return db;
        } catch (SQLException e) {
            close(db);
            throw new CapstoneException(ExitCode.DATABASE_UNREACHABLE, "cannot create the tables in " + url + ": "
                    + firstLine(e.getMessage()));
        }
    }

    public static void createTables(DuckDBConnection db) throws SQLException {
        try (Statement s = db.createStatement()) {
            s.execute("CREATE TABLE IF NOT EXISTS " + RUNS + " (input VARCHAR, size BIGINT, modified_millis BIGINT,"
                    + " chunk_size BIGINT, started TIMESTAMP, finished TIMESTAMP)");
            s.execute("CREATE TABLE IF NOT EXISTS " + CHUNKS_DONE + " (chunk_id INTEGER PRIMARY KEY,"
                    + " start_byte BIGINT, end_byte BIGINT, lines BIGINT, rows BIGINT, rejects BIGINT,"
                    + " committed TIMESTAMP)");
            s.execute("CREATE TABLE IF NOT EXISTS " + PARTIALS + " (chunk_id INTEGER, station VARCHAR,"
                    + " min INTEGER, max INTEGER, sum BIGINT, count BIGINT)");
            s.execute("CREATE TABLE IF NOT EXISTS " + RESULTS + " (station VARCHAR, min DECIMAL(3,1),"
                    + " mean DECIMAL(3,1), max DECIMAL(3,1))");
            s.execute("CREATE TABLE IF NOT EXISTS " + REJECTS + " (chunk_id INTEGER, line_in_chunk BIGINT,"
                    + " byte_offset BIGINT, line_number BIGINT, reason VARCHAR, raw VARCHAR)");
        }
    }

    /**
     * Ties the database to one input cut one way. The first run records the input's identity and the chunk size;
     * a later run (a restart) must present the same, or it would mix chunks of different files or boundaries.
     */
    public static void claim(DuckDBConnection db, InputFile input, long chunkSize) {
        try {
            try (Statement s = db.createStatement();
                    ResultSet rs = s.executeQuery("SELECT input, size, modified_millis, chunk_size FROM " + RUNS)) {
                if (rs.next()) {
                    String path = rs.getString(1);
                    long size = rs.getLong(2);
                    long modified = rs.getLong(3);
                    long chunks = rs.getLong(4);
                    if (size != input.size() || modified != input.modifiedMillis()) {
                        throw new CapstoneException(ExitCode.DATABASE_OF_ANOTHER_RUN, "the database holds a run of "
                                + path + " (" + size + " bytes), not of this input " + input.path() + " ("
                                + input.size() + " bytes, or modified since); pass another --db or delete it");
                    }
                    if (chunks != chunkSize) {
                        throw new CapstoneException(ExitCode.DATABASE_OF_ANOTHER_RUN, "the database holds a run "
                                + "cut in chunks of " + chunks + " bytes; resume it with --chunk-size " + chunks
                                + ", or pass another --db");
                    }
                    return;
                }
            }
            try (PreparedStatement insert = db.prepareStatement("INSERT INTO " + RUNS
                    + " VALUES (?, ?, ?, ?, current_timestamp, NULL)")) {
                insert.setString(1, input.path().toString());
                insert.setLong(2, input.size());
                insert.setLong(3, input.modifiedMillis());
                insert.setLong(4, chunkSize);
                insert.executeUpdate();
            }
        } catch (SQLException e) {
            throw new CapstoneException(ExitCode.DATABASE_UNREACHABLE, "cannot record the run in the database: "
                    + firstLine(e.getMessage()));
        }
    }

    static String firstLine(String message) {
        return message == null ? "" : message.lines().findFirst().orElse("").strip();
    }

    private static void close(DuckDBConnection db) {
        try {
            db.close();
        } catch (SQLException ignored) {
            // already failing
        }
    }
}
