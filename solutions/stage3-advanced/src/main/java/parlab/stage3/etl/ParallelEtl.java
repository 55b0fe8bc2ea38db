package parlab.stage3.etl;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.SQLException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
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
 * connection and its appender belong to one thread, so here a single thread appends every row, and the pool must
 * not run further ahead of it than memory allows. That is backpressure: the slowest stage sets the pace, and the
 * others wait for it instead of piling up parsed chunks.
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
 *       are fewer chunks), with at most {@code 2 * workers} chunks read but not yet loaded; every thread has ended
 *       when {@code load} returns or throws;
 *   <li>an empty file loads nothing and is no error; a missing file is a {@link java.nio.file.NoSuchFileException}
 *       naming it; a non-empty file whose first line is not {@value SalesCsv#HEADER}, and {@code workers < 1} or
 *       {@code chunkBytes < 1}, are an {@link IllegalArgumentException} that says what was wrong.
 * </ul>
 *
 * <p>Baseline experiment: DuckDB's own reader, {@code CREATE TABLE t AS SELECT * FROM read_csv(...)}, loads the
 * same file in native code on every core. {@code ./lab bench etl} puts your rows per second next to it.
 *
 * <p>Reference solution. The calling thread is the loader: it keeps a queue of at most {@code 2 * workers}
 * futures in file order, submits the next chunk whenever it takes one off, and loads the chunks in file order.
 * In-order loading is what gives the line numbers: a worker only knows a line's place inside its chunk, and the
 * loader, which has seen every earlier chunk, adds the number of lines before it. The pool, the file channel
 * and both appenders are closed by try-with-resources on every way out; a failure rolls back the chunk in progress
 * (the chunks before it stay committed) and reaches the caller.
 *
 * <p>Other ways: count the line breaks of every chunk in a first parallel pass and turn the counts into starting
 * line numbers (a prefix sum), after which chunks can be loaded in any order; or hand parsed chunks to the loader
 * through a bounded {@code ArrayBlockingQueue}. One transaction per chunk keeps a failed load restartable chunk by
 * chunk; a single transaction for the whole file is a little faster and all-or-nothing.
 *
 * <p>Where the time goes: the loader is the slowest stage, so it sets the pace, and which appender it uses matters
 * more than anything else here. {@link DuckDBAppender} fills a Java-side vector of 2,048 rows and hands each full
 * vector to DuckDB with a flush that costs about a millisecond of fixed work (binding, planning, storing), about
 * half a second per million rows before a single value is stored. {@link DuckDBSingleValueAppender} passes every
 * value through JNI to DuckDB's C++ appender, which buffers rows natively and stores them in far larger batches:
 * measured here it loads a million rows in less than half the time, and it is what the reference uses. Several
 * loaders (each worker appending the chunks it parsed through a connection of its own, {@code db.duplicate()})
 * only pay off with very few commits, since concurrent commits on one table wait for each other. DuckDB's own
 * reader skips the Java side entirely, which is why it stays ahead.
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
        if (targetBytes < 1) {
            throw new IllegalArgumentException("targetBytes must be at least 1, was " + targetBytes);
        }
        try (FileChannel channel = FileChannel.open(csv, StandardOpenOption.READ)) {
            long size = channel.size();
            List<Chunk> chunks = new ArrayList<>();
            ByteBuffer buffer = ByteBuffer.allocate(8192);
            long start = 0;
            while (start < size) {
                long end = start + targetBytes >= size ? size : afterNextNewline(channel, start + targetBytes - 1, size, buffer);
                chunks.add(new Chunk(chunks.size(), start, end));
                start = end;
            }
            return chunks;
        }
    }

    /** The position just after the first '\n' at or after {@code from}, or {@code size} if there is none. */
    private static long afterNextNewline(FileChannel channel, long from, long size, ByteBuffer buffer) throws IOException {
        long position = from;
        while (position < size) {
            buffer.clear();
            int read = channel.read(buffer, position);
            if (read < 0) {
                break;
            }
            for (int i = 0; i < read; i++) {
                if (buffer.get(i) == '\n') {
                    return position + i + 1;
                }
            }
            position += read;
        }
        return size;
    }

    /**
     * Loads {@code csv} into {@code db}: chunks of about {@code chunkBytes}, parsed by {@code workers} threads made by
     * {@code threads}, loaded by the calling thread.
     */
    public static EtlReport load(Path csv, DuckDBConnection db, int workers, long chunkBytes, ThreadFactory threads)
            throws IOException, SQLException {
        if (workers < 1) {
            throw new IllegalArgumentException("workers must be at least 1, was " + workers);
        }
        if (chunkBytes < 1) {
            throw new IllegalArgumentException("chunkBytes must be at least 1, was " + chunkBytes);
        }
        List<Chunk> chunks = chunks(csv, chunkBytes);
        EtlSchema.createTables(db);
        if (chunks.isEmpty()) {
            return new EtlReport(0, 0, 0);
        }
        boolean autoCommit = db.getAutoCommit();
        db.setAutoCommit(false);
        try (FileChannel channel = FileChannel.open(csv, StandardOpenOption.READ)) {
            checkHeader(channel);
            return loadChunks(channel, chunks, db, workers, threads);
        } catch (IOException | SQLException | RuntimeException | Error failure) {
            db.rollback();
            throw failure;
        } finally {
            db.setAutoCommit(autoCommit);
        }
    }

    @SuppressWarnings("deprecation") // DuckDBSingleValueAppender: deprecated, yet the faster loader here (see above)
    private static EtlReport loadChunks(FileChannel channel, List<Chunk> chunks, DuckDBConnection db, int workers,
            ThreadFactory threads)
            throws IOException, SQLException {
        int window = 2 * workers;
        long rows = 0;
        long rejected = 0;
        long linesBefore = 0; // lines in the chunks already loaded: the loader's prefix sum
        try (ExecutorService pool = Executors.newFixedThreadPool(workers, threads);
                DuckDBSingleValueAppender sales = db.createSingleValueAppender(DuckDBConnection.DEFAULT_SCHEMA,
                        EtlSchema.SALES);
                DuckDBSingleValueAppender rejects = db.createSingleValueAppender(DuckDBConnection.DEFAULT_SCHEMA,
                        EtlSchema.REJECTS)) {
            Deque<Future<ParsedChunk>> inFlight = new ArrayDeque<>(window);
            int next = 0;
            try {
                while (next < chunks.size() || !inFlight.isEmpty()) {
                    while (next < chunks.size() && inFlight.size() < window) {
                        Chunk chunk = chunks.get(next++);
                        inFlight.addLast(pool.submit(() -> parse(channel, chunk)));
                    }
                    ParsedChunk parsed = await(inFlight.removeFirst());
                    for (Sale sale : parsed.sales) {
                        sales.beginRow();
                        sales.append(sale.id());
                        sales.append(sale.name());
                        sales.append(sale.amountCents());
                        sales.append(sale.quantity());
                        sales.append(sale.totalCents());
                        sales.endRow();
                    }
                    for (Reject reject : parsed.rejects) {
                        rejects.beginRow();
                        rejects.append(linesBefore + reject.lineInChunk + 1);
                        rejects.append(reject.raw);
                        rejects.append(reject.reason);
                        rejects.endRow();
                    }
                    sales.flush();
                    rejects.flush();
                    db.commit();
                    rows += parsed.sales.size();
                    rejected += parsed.rejects.size();
                    linesBefore += parsed.lines;
                }
            } finally {
                inFlight.forEach(f -> f.cancel(true)); // on failure: drop what is still queued; close() waits for the rest
                pool.shutdownNow();
            }
        }
        return new EtlReport(rows, rejected, chunks.size());
    }

    private static ParsedChunk await(Future<ParsedChunk> future) throws IOException {
        try {
            return future.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while loading", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof UncheckedIOException io) {
                throw io.getCause();
            }
            if (e.getCause() instanceof RuntimeException unchecked) {
                throw unchecked;
            }
            if (e.getCause() instanceof Error error) {
                throw error;
            }
            throw new IllegalStateException("a worker failed", e.getCause());
        }
    }

    private static void checkHeader(FileChannel channel) throws IOException {
        ByteBuffer first = ByteBuffer.allocate(SalesCsv.HEADER.length() + 2);
        channel.read(first, 0);
        byte[] bytes = first.array();
        int end = 0;
        while (end < first.position() && bytes[end] != '\n') {
            end++;
        }
        String line = SalesCsv.decodeLine(bytes, 0, end);
        if (!line.equals(SalesCsv.HEADER)) {
            throw new IllegalArgumentException("line 1 must be the header '" + SalesCsv.HEADER + "', found '" + line + "'");
        }
    }

    /** A worker's part: read one chunk, parse and transform each of its lines. Runs on a pool thread. */
    private static ParsedChunk parse(FileChannel channel, Chunk chunk) {
        if (chunk.length() > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("chunk " + chunk.index() + " is too long: " + chunk.length() + " bytes");
        }
        byte[] bytes = new byte[(int) chunk.length()];
        ByteBuffer buffer = ByteBuffer.wrap(bytes);
        try {
            while (buffer.hasRemaining()) {
                if (channel.read(buffer, chunk.start() + buffer.position()) < 0) {
                    throw new IOException("the file shrank while being read, at chunk " + chunk.index());
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        ParsedChunk parsed = new ParsedChunk();
        int lineStart = 0;
        int line = 0;
        while (lineStart < bytes.length) {
            int lineEnd = lineStart;
            while (lineEnd < bytes.length && bytes[lineEnd] != '\n') {
                lineEnd++;
            }
            if (!(chunk.start() == 0 && line == 0)) { // line 1 of the file is the header
                try {
                    parsed.sales.add(SalesCsv.parse(bytes, lineStart, lineEnd));
                } catch (BadLineException bad) {
                    parsed.rejects.add(new Reject(line, SalesCsv.decodeLine(bytes, lineStart, lineEnd), bad.getMessage()));
                }
            }
            line++;
            lineStart = lineEnd + 1;
        }
        parsed.lines = line;
        return parsed;
    }

    /** One chunk's result, handed from its worker to the loader through a Future (a happens-before edge). */
    private static final class ParsedChunk {
        final List<Sale> sales = new ArrayList<>();
        final List<Reject> rejects = new ArrayList<>();
        int lines;
    }

    private record Reject(int lineInChunk, String raw, String reason) {
    }
}
