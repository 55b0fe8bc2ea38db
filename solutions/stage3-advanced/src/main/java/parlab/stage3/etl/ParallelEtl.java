package parlab.stage3.etl;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
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
 * <p>Reference solution: two passes, both on the pool. The first counts the lines of every chunk (one per
 * {@code '\n'}, and a last line without one) and turns the counts into the number of lines before each chunk, a
 * prefix sum: now every line's number in the file is known before it is parsed, and the chunks can be loaded in any
 * order, by several loaders. In the second, each of the {@code min(workers, chunks)} workers opens a connection of
 * its own ({@code db.duplicate()}) with its two appenders, and loops: take the next chunk nobody has taken (an
 * {@link AtomicInteger}), run a statement (with DuckDB's driver, the transaction begins there; rows an appender
 * flushes before it would commit on their own), read the chunk, parse each line straight into an appender, flush,
 * commit. A worker takes a chunk
 * only after committing its last one, so at most {@code workers} chunks are read but not yet loaded: when the same
 * thread parses and loads, the parse cannot run ahead of the load, and the backpressure is in the pull. A failure
 * rolls back the chunk in progress on its worker's connection, stops the other workers before their next chunk
 * (the chunks already committed stay committed), and reaches the caller once every worker has ended; the pool and
 * the file channel are closed by try-with-resources on every way out. If {@code db} is not in auto-commit mode, its
 * transaction is committed once the tables exist, since other connections only see committed tables.
 *
 * <p>Other ways: one loader, the calling thread, that keeps a queue of at most {@code 2 * workers} futures in file
 * order, submits the next chunk whenever it takes one off, and loads the parsed chunks in file order, keeping a
 * running sum of their lines instead of the first pass (the simplest correct design; about 0.9 M rows/s here, since
 * its single loader is the narrow stage); or hand parsed chunks to the loaders through a bounded
 * {@code ArrayBlockingQueue}. One transaction per chunk keeps a failed load restartable chunk by chunk, provided the
 * loader also records which chunks it committed, in the same transactions (the capstone does); a single
 * transaction for the whole file is all-or-nothing.
 *
 * <p>Where the time goes: appending is the slowest stage by far (measured here, one thread parses a million rows in
 * about 0.2 s and appends them in about 1 s), so it sets the pace, and which appender appends, and how many,
 * matters more than anything else. {@link DuckDBAppender} fills a Java-side vector of 2,048 rows and hands each full
 * vector to DuckDB with a flush that costs about a millisecond of fixed work (binding, planning, storing), about
 * half a second per million rows before a single value is stored. {@link DuckDBSingleValueAppender} passes every
 * value through JNI (seven calls a row) to DuckDB's C++ appender, which buffers rows natively and stores them in far
 * larger batches: measured here it loads a million rows in about 40% less time, and it is what the reference uses.
 * Those JNI calls and DuckDB's work behind them are CPU work on the appending thread, and appenders on different
 * connections do not share it: two loaders load in a little more than half the time of one. Commits are few (an
 * 8 MB chunk is about 300,000 rows) and cheap next to that, even though concurrent commits on one table wait for
 * each other; much smaller chunks do cost (2 MB chunks load about a third slower than 8 MB ones). The first pass
 * reads the file a second time, in a few hundredths of a second. With several loaders, a file of few chunks loads
 * unevenly: the last chunks run with idle workers beside them. DuckDB's own reader skips the Java side entirely,
 * which is why it stays ahead.
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
     * {@code threads}, and appended by the calling thread or by those threads, each through a connection of its own.
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
        if (!db.getAutoCommit()) {
            db.commit(); // the loaders' connections only see committed tables
        }
        if (chunks.isEmpty()) {
            return new EtlReport(0, 0, 0);
        }
        try (FileChannel channel = FileChannel.open(csv, StandardOpenOption.READ);
                ExecutorService pool = Executors.newFixedThreadPool(workers, threads)) {
            checkHeader(channel);
            long[] linesBefore = linesBefore(channel, chunks, pool);
            Loaders loaders = new Loaders(channel, chunks, linesBefore, db);
            List<Future<EtlReport>> running = new ArrayList<>();
            try {
                for (int i = 0; i < Math.min(workers, chunks.size()); i++) {
                    running.add(pool.submit(loaders::run));
                }
                long rows = 0;
                long rejected = 0;
                for (Future<EtlReport> loader : running) {
                    EtlReport part = await(loader);
                    rows += part.rowsLoaded();
                    rejected += part.rejected();
                }
                return new EtlReport(rows, rejected, chunks.size());
            } finally {
                loaders.stop.set(true); // on failure: no loader takes another chunk; close() waits for the rest
            }
        }
    }

    /**
     * The first pass: counts the lines of every chunk on the pool and turns the counts into the number of lines
     * before each chunk (a prefix sum), so that the chunks can then be loaded in any order. A line is counted by
     * its {@code '\n'}, and the last line of the file also without one.
     */
    private static long[] linesBefore(FileChannel channel, List<Chunk> chunks, ExecutorService pool)
            throws IOException, SQLException {
        List<Future<Integer>> counts = new ArrayList<>(chunks.size());
        try {
            for (Chunk chunk : chunks) {
                counts.add(pool.submit(() -> countLines(channel, chunk)));
            }
            long[] before = new long[chunks.size()];
            long sum = 0;
            for (int i = 0; i < chunks.size(); i++) {
                before[i] = sum;
                sum += await(counts.get(i));
            }
            return before;
        } finally {
            counts.forEach(f -> f.cancel(true)); // a no-op for those done; on failure, drops the others
        }
    }

    private static int countLines(FileChannel channel, Chunk chunk) {
        ByteBuffer buffer = ByteBuffer.allocate(1 << 16);
        byte[] bytes = buffer.array();
        int lines = 0;
        byte last = '\n';
        try {
            for (long position = chunk.start(); position < chunk.end(); ) {
                buffer.clear().limit((int) Math.min(buffer.capacity(), chunk.end() - position));
                int read = channel.read(buffer, position);
                if (read < 0) {
                    throw new IOException("the file shrank while being read, at chunk " + chunk.index());
                }
                for (int i = 0; i < read; i++) {
                    if (bytes[i] == '\n') {
                        lines++;
                    }
                }
                if (read > 0) {
                    last = bytes[read - 1];
                }
                position += read;
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return last == '\n' ? lines : lines + 1;
    }

    private static <T> T await(Future<T> future) throws IOException, SQLException {
        try {
            return future.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while loading", e);
        } catch (ExecutionException e) {
            switch (e.getCause()) {
                case UncheckedIOException io -> throw io.getCause();
                case IOException io -> throw io;
                case SQLException sql -> throw sql;
                case RuntimeException unchecked -> throw unchecked;
                case Error error -> throw error;
                default -> throw new IllegalStateException("a worker failed", e.getCause());
            }
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

    /**
     * The workers' part: each takes the next chunk nobody has taken, parses it straight into its own appenders and
     * commits it, then takes another, until none is left or {@link #stop} is set. A worker holds one chunk at a
     * time, so at most {@code workers} chunks are read but not yet loaded, however large the file.
     */
    private static final class Loaders {
        final AtomicBoolean stop = new AtomicBoolean();
        private final AtomicInteger next = new AtomicInteger();
        private final FileChannel channel;
        private final List<Chunk> chunks;
        private final long[] linesBefore;
        private final DuckDBConnection db;

        Loaders(FileChannel channel, List<Chunk> chunks, long[] linesBefore, DuckDBConnection db) {
            this.channel = channel;
            this.chunks = chunks;
            this.linesBefore = linesBefore;
            this.db = db;
        }

        /** One worker's loop, on a connection of its own; returns what it loaded. A failure stops the others too. */
        EtlReport run() throws IOException, SQLException {
            try {
                return loadUntilDone();
            } catch (IOException | SQLException | RuntimeException | Error failure) {
                stop.set(true);
                throw failure;
            }
        }

        @SuppressWarnings("deprecation") // DuckDBSingleValueAppender: deprecated, yet the faster loader here (see above)
        private EtlReport loadUntilDone() throws IOException, SQLException {
            long rows = 0;
            long rejected = 0;
            int loaded = 0;
            try (DuckDBConnection connection = db.duplicate()) {
                connection.setAutoCommit(false);
                try (Statement begin = connection.createStatement();
                        DuckDBSingleValueAppender sales = connection.createSingleValueAppender(
                                DuckDBConnection.DEFAULT_SCHEMA, EtlSchema.SALES);
                        DuckDBSingleValueAppender rejects = connection.createSingleValueAppender(
                                DuckDBConnection.DEFAULT_SCHEMA, EtlSchema.REJECTS)) {
                    int index;
                    while (!stop.get() && (index = next.getAndIncrement()) < chunks.size()) {
                        Chunk chunk = chunks.get(index);
                        // DuckDB's driver begins a transaction only when a statement runs: rows that an appender
                        // flushes (or flushes on closing) before that commit on their own, at once, and a failure
                        // would leave half a chunk stored. So a statement first, then the appenders' rows.
                        begin.execute("SELECT 1");
                        byte[] bytes = read(chunk);
                        long line = linesBefore[index];
                        for (int start = 0; start < bytes.length; ) {
                            int end = start;
                            while (end < bytes.length && bytes[end] != '\n') {
                                end++;
                            }
                            line++;
                            if (line > 1) { // line 1 of the file is the header
                                try {
                                    Sale sale = SalesCsv.parse(bytes, start, end);
                                    sales.beginRow();
                                    sales.append(sale.id());
                                    sales.append(sale.name());
                                    sales.append(sale.amountCents());
                                    sales.append(sale.quantity());
                                    sales.append(sale.totalCents());
                                    sales.endRow();
                                    rows++;
                                } catch (BadLineException bad) {
                                    rejects.beginRow();
                                    rejects.append(line);
                                    rejects.append(SalesCsv.decodeLine(bytes, start, end));
                                    rejects.append(bad.getMessage());
                                    rejects.endRow();
                                    rejected++;
                                }
                            }
                            start = end + 1;
                        }
                        sales.flush();
                        rejects.flush();
                        connection.commit();
                        loaded++;
                    }
                } catch (IOException | SQLException | RuntimeException | Error failure) {
                    // the appenders are closed by now, and what they still held was flushed into the transaction:
                    // the rollback takes it back with the rest of the chunk in progress (the ones before it are
                    // committed)
                    connection.rollback();
                    throw failure;
                }
            }
            return new EtlReport(rows, rejected, loaded);
        }

        private byte[] read(Chunk chunk) throws IOException {
            if (chunk.length() > Integer.MAX_VALUE - 8) {
                throw new IllegalArgumentException("chunk " + chunk.index() + " is too long: " + chunk.length() + " bytes");
            }
            byte[] bytes = new byte[(int) chunk.length()];
            ByteBuffer buffer = ByteBuffer.wrap(bytes);
            while (buffer.hasRemaining()) {
                if (channel.read(buffer, chunk.start() + buffer.position()) < 0) {
                    throw new IOException("the file shrank while being read, at chunk " + chunk.index());
                }
            }
            return bytes;
        }
    }
}
