package parlab.capstone;

import java.sql.Connection;
import java.sql.Driver;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Properties;
import org.duckdb.DuckDBConnection;
import org.postgresql.PGConnection;

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
 * Columns in this order, so that a {@link TableWriter} appends them in this order too ({@code INTEGER} takes
 * {@code append(int)}, {@code BIGINT} {@code append(long)}).
 *
 * <p>Two databases, one SQL: DuckDB ({@code jdbc:duckdb:FILE}, embedded, the default) and PostgreSQL
 * ({@code jdbc:postgresql://HOST:PORT/DB?user=U&password=P}). The schema, the queries and the transactions are
 * the same on both; what differs is behind {@link #open} (the error a user can act on) and {@link #writer} (the
 * bulk load: DuckDB's Appender, PostgreSQL's {@code COPY}).
 */
public final class Database {
    public static final String RUNS = "runs";
    public static final String CHUNKS_DONE = "chunks_done";
    public static final String PARTIALS = "partials";
    public static final String RESULTS = "results";
    public static final String REJECTS = "rejects";

    private Database() {
    }

    static final String DUCKDB_PREFIX = "jdbc:duckdb:";
    static final String POSTGRESQL_PREFIX = "jdbc:postgresql:";

    /**
     * Loads DuckDB's JDBC driver and native library, so that a thread can do it while another parses the command
     * line: the driver's class initialisation takes a good fraction of a second on one core (more when the JDK has
     * JFR: it registers a JFR event), and {@link #open} would otherwise wait for all of it. The class loader makes
     * {@link #open} wait for a load still in progress; a failure is left for {@link #open} to report.
     */
    static void loadDuckDb() {
        try {
            Class.forName(org.duckdb.DuckDBDriver.class.getName());
            Class.forName("org.duckdb.DuckDBNative");
        } catch (ClassNotFoundException | LinkageError e) {
            // open() reports it, with what to do
        }
    }

    /**
     * Opens the database at {@code url} (DuckDB or PostgreSQL) and creates the tables if they are missing. A
     * database that cannot be reached is a {@link CapstoneException} with a one-line message that says what to do.
     */
    public static Connection open(String url) {
        boolean postgres = url.startsWith(POSTGRESQL_PREFIX);
        if (!postgres && !url.startsWith(DUCKDB_PREFIX)) {
            throw new CapstoneException(ExitCode.BAD_OPTION, "unsupported database URL " + redacted(url)
                    + "; pass --db jdbc:duckdb:FILE (DuckDB) or --db jdbc:postgresql://HOST:PORT/DATABASE?user=USER"
                    + "&password=PASSWORD (PostgreSQL)");
        }
        Connection db;
        try {
            // the driver itself, not DriverManager: its ServiceLoader scan and every other driver's start-up
            // (PostgreSQL's sets up java.util.logging) cost a DuckDB run a tenth of a second
            Driver driver = postgres ? new org.postgresql.Driver() : new org.duckdb.DuckDBDriver();
            Properties properties = new Properties();
            if (!postgres) {
                // the pipeline's statements are small (a chunk's few hundred rows, one commit): DuckDB's own worker
                // threads would only compete with the parse for the cores (a 100M-row run: about 0.2 CPU-s less)
                properties.setProperty("threads", "1");
            }
            db = driver.connect(url, properties);
            if (db == null) { // the driver's way of saying that it does not understand the URL
                throw new SQLException("the URL's form is not one the driver reads");
            }
        } catch (SQLException e) {
            throw new CapstoneException(ExitCode.DATABASE_UNREACHABLE, postgres ? postgresProblem(url, e)
                    : "cannot open database " + url + ": " + firstLine(e.getMessage()) + "; check the path, that its "
                            + "folder exists and that no other run holds it");
        }
        try {
            createTables(db);
            return db;
        } catch (SQLException e) {
            close(db);
            throw new CapstoneException(ExitCode.DATABASE_UNREACHABLE, "cannot create the tables in "
                    + redacted(url) + ": " + firstLine(e.getMessage()));
        }
    }

    /** What went wrong reaching PostgreSQL, and what to do about it, by SQLSTATE class. */
    private static String postgresProblem(String url, SQLException e) {
        String state = e.getSQLState() == null ? "" : e.getSQLState();
        String what = "cannot open database " + redacted(url) + ": "
                + firstLine(e.getMessage()).replaceFirst("\\.$", "");
        if (state.startsWith("08")) { // connection exception: refused, unknown host, timed out
            return what + "; start the PostgreSQL server, or fix HOST:PORT in --db";
        }
        if (state.startsWith("28")) { // invalid authorization
            return what + "; fix user= and password= in --db";
        }
        if (state.equals("3D000")) { // invalid catalog name
            return what + "; create it (CREATE DATABASE), or fix the database name in --db";
        }
        return what + "; check the URL and that the server accepts connections";
    }

    /** {@code url} with its password (if any) hidden, for messages. */
    public static String redacted(String url) {
        return url.replaceAll("(?i)(password=)[^&;]*", "$1***");
    }

    /**
     * A bulk writer into {@code table} of {@code db} (a connection {@link #open} gave): DuckDB's Appender or
     * PostgreSQL's {@code COPY}. Its rows join {@code db}'s open transaction when flushed.
     */
    public static TableWriter writer(Connection db, String table) throws SQLException {
        if (db instanceof DuckDBConnection duck) {
            return new DuckDbTableWriter(duck, table);
        }
        if (db.isWrapperFor(PGConnection.class)) {
            return new PostgresTableWriter(db.unwrap(PGConnection.class).getCopyAPI(), table);
        }
        throw new SQLException("no bulk writer for " + db.getMetaData().getURL() + " (DuckDB and PostgreSQL only)");
    }

    public static void createTables(Connection db) throws SQLException {
        try (Statement s = db.createStatement()) {
            for (String table : List.of(RUNS, CHUNKS_DONE, PARTIALS, RESULTS, REJECTS)) {
                s.execute("CREATE TABLE IF NOT EXISTS " + table + " (" + columns(table) + ")");
            }
        }
    }

    /** A table's column definitions, as {@link #createTables} creates it (a test adds a unique key to them). */
    static String columns(String table) {
        return switch (table) {
            case RUNS -> "input VARCHAR, size BIGINT, modified_millis BIGINT, chunk_size BIGINT, started TIMESTAMP,"
                    + " finished TIMESTAMP";
            case CHUNKS_DONE -> "chunk_id INTEGER PRIMARY KEY, start_byte BIGINT, end_byte BIGINT, lines BIGINT,"
                    + " rows BIGINT, rejects BIGINT, committed TIMESTAMP";
            case PARTIALS -> "chunk_id INTEGER, station VARCHAR, min INTEGER, max INTEGER, sum BIGINT, count BIGINT";
            case RESULTS -> "station VARCHAR, min DECIMAL(3,1), mean DECIMAL(3,1), max DECIMAL(3,1)";
            case REJECTS -> "chunk_id INTEGER, line_in_chunk BIGINT, byte_offset BIGINT, line_number BIGINT,"
                    + " reason VARCHAR, raw VARCHAR";
            default -> throw new IllegalArgumentException("no table " + table);
        };
    }

    /**
     * Ties the database to one input cut one way. The first run records the input's identity and the chunk size;
     * a later run (a restart) must present the same, or it would mix chunks of different files or boundaries.
     */
    public static void claim(Connection db, InputFile input, long chunkSize) {
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

    private static void close(Connection db) {
        try {
            db.close();
        } catch (SQLException ignored) {
            // already failing
        }
    }
}
