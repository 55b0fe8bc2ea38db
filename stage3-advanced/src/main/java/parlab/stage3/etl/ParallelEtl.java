package parlab.stage3.etl;

import java.io.IOException;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.List;
import java.util.concurrent.ThreadFactory;
import org.duckdb.DuckDBAppender;
import org.duckdb.DuckDBConnection;
import org.duckdb.DuckDBSingleValueAppender;

/**
 * s3e13 · A parallel ETL.
 *
 * <p>Extract, transform, load: read a CSV file of sales ({@link SalesCsv} describes the format), turn every line
 * into a row, and store the rows in DuckDB. The parse is CPU work that splits well: cut the file into byte ranges
 * that end at line breaks ({@link #chunks}) and parse them in a pool. The load is harder to split: a DuckDB
 * connection and its appender belong to one thread. Either one thread appends every row, and the pool must not run
 * further ahead of it than memory allows; or every loader has a connection of its own, and must know the line
 * numbers of a chunk whose start it never saw. Either way the parse must not outrun the load: that is backpressure,
 * the slowest stage sets the pace, and the others wait for it instead of piling up parsed chunks.
 *
 * <p>The contract of {@link #load}, which the tests pin down:
 * <ul>
 *   <li>every line after the header ends up in exactly one place: a good line as one row of
 *       {@value EtlSchema#SALES}, a bad line as one row of {@value EtlSchema#REJECTS} with its 1-based line number
 *       in the file (the header is line 1), its text and the reason {@link SalesCsv#parse(byte[], int, int)} gave; nothing is lost
 *       and nothing is loaded twice, whatever the number of workers and the chunk size;
 *   <li>the tables are created if missing ({@link EtlSchema#createTables}); rows go in through one of DuckDB's
 *       appenders ({@link DuckDBAppender}, or {@link DuckDBSingleValueAppender}, its older per-value sibling),
 *       never row-by-row {@code INSERT}s, and each chunk's rows and rejects are committed in one transaction;
 *   <li>the parse runs on a pool of {@code workers} threads made by the given {@link ThreadFactory} (fewer if there
 *       are fewer chunks), and so does the load unless the calling thread does it; at most {@code 2 * workers}
 *       chunks are read but not yet loaded; every thread has ended when {@code load} returns or throws;
 *   <li>an empty file loads nothing and is no error; a missing file is a {@link java.nio.file.NoSuchFileException}
 *       naming it; a non-empty file whose first line is not {@value SalesCsv#HEADER}, and {@code workers < 1} or
 *       {@code chunkBytes < 1}, are an {@link IllegalArgumentException} that says what was wrong.
 * </ul>
 *
 * <p>Baseline experiment: DuckDB's own reader, {@code CREATE TABLE t AS SELECT * FROM read_csv(...)}, loads the
 * same file in native code on every core. {@code ./lab bench etl} puts your rows per second next to it.
 *
 * <p>Things to think about: a worker knows where a line sits inside its chunk, but not how many lines came before
 * the chunk; who does, and when? What happens to memory if the pool parses a 10 GB file faster than the loader
 * stores it? Why does a {@code '\n'} byte never fall inside a multi-byte UTF-8 character?
 */
public final class ParallelEtl {
    private ParallelEtl() {
    }

    /**
     * Cuts {@code csv} into chunks of about {@code targetBytes}: each ends just after the first {@code '\n'} at or
     * after {@code start + targetBytes - 1}, or at the end of the file. The chunks are in file order, none is
     * empty, and together they cover the file exactly; an empty file has none.
     */
    public static List<Chunk> chunks(Path csv, long targetBytes) throws IOException {
        // TODO: validate targetBytes, open the file with a FileChannel
        // TODO: from start = 0, jump targetBytes ahead, then move on to just after the next '\n' (or to the end)
        throw new UnsupportedOperationException("TODO: chunks");
    }

    /**
     * Loads {@code csv} into {@code db}: chunks of about {@code chunkBytes}, parsed by {@code workers} threads made by
     * {@code threads}, and appended by the calling thread or by those threads, each through a connection of its own.
     */
    public static EtlReport load(Path csv, DuckDBConnection db, int workers, long chunkBytes, ThreadFactory threads)
            throws IOException, SQLException {
        // TODO: validate the arguments, cut the file into chunks, create the tables, check the header
        // TODO: parse chunks in a pool of `workers` threads (SalesCsv.parse for each line), never more than 2 * workers ahead
        // TODO: on this thread, in file order: append rows and rejects (with file line numbers), commit once per chunk
        // TODO: on failure, roll back, stop the pool and rethrow; close everything on every way out
        // TODO: then faster: count each chunk's lines first (a prefix sum gives the line numbers), and let every
        //       worker load the chunks it takes through a connection of its own (db.duplicate())
        throw new UnsupportedOperationException("TODO: load");
    }
}
