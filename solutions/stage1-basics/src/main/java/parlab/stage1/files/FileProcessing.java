package parlab.stage1.files;

import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadFactory;
import java.util.stream.Stream;

/**
 * s1e05 · Parallel file processing.
 *
 * <p>Files are the most common input of a parallel program, and there are two ways to share them out. With many
 * files, each worker takes whole files: the unit of work is already there. With one big file, you cut it yourself:
 * into byte ranges, one per worker, each starting and ending at a line boundary so that no line is cut in two.
 *
 * <p><b>Part A, many files:</b> {@link #wordCount} counts the words of every file of a folder, one file per task,
 * and adds up the per-file counts ({@link #countWords} counts one file for you).
 *
 * <p><b>Part B, one big file:</b> the One Billion Row Challenge (1BRC). Each line is {@code <station>;<temperature>},
 * for example {@code Hamburg;12.0} or {@code Ségou;-3.4}; the result is each station's min/mean/max, which
 * {@link StationTable} parses, merges and formats for you. Your part is the splitting and the reading:
 * <ul>
 *   <li>{@link #chunks} cuts the file into at most {@code workers} byte ranges: aim at {@code size * i / workers},
 *       then move each cut to the start of the next line (names are UTF-8, so a blind cut can also fall in the middle
 *       of a character);
 *   <li>{@link #readBuffered} reads one range through a small {@link ByteBuffer} that is refilled from the channel
 *       again and again: a line can straddle two refills;
 *   <li>{@link #readMapped} maps the range into memory instead and parses it in place, with no copy into a buffer;
 *   <li>{@link #stations} runs one range per worker and merges the partial tables.
 * </ul>
 *
 * <p>The contract, which the tests pin down:
 * <ul>
 *   <li>{@link #wordCount} equals {@link #sequentialWordCount} for any number of workers; it uses at most
 *       {@code min(workers, files)} threads, all made by the given factory and all ended when it returns; a file
 *       that cannot be read fails the count with that file's own {@link IOException}, not a wrapper;
 *   <li>{@link #chunks} returns contiguous, non-empty ranges that cover the file from 0 to its size, at most
 *       {@code workers} of them, each starting at 0 or right after a {@code \n} and ending at the size or right
 *       after a {@code \n}; none for an empty file;
 *   <li>{@link #readBuffered} with any buffer of at least {@link StationTable#MAX_LINE_BYTES} bytes and
 *       {@link #readMapped} read exactly the lines of their range, and a last line without {@code \n} counts;
 *   <li>{@link #stations} equals {@link #sequentialStations} for 1 to 8 workers (and more workers than lines), with
 *       either read; every sample of {@code datasets/1brc-samples} gives exactly its {@code .out}; it uses at most
 *       {@code workers} threads, all made by the factory and all ended when it returns;
 *   <li>an empty file gives {@code {}}; a missing file is a {@link java.nio.file.NoSuchFileException} naming it;
 *       {@code workers < 1} is an {@link IllegalArgumentException}.
 * </ul>
 *
 * <p>Baseline experiment: {@link #sequentialStations} reads the whole file into one array and parses it.
 * {@code ./lab bench file-processing} times {@link #stations} with 1, 2 and 4 workers, buffered and mapped, on a
 * generated file of about 60 MB. Once the file sits in the page cache this is CPU work (parsing), so 2 cores give
 * close to 2x. Mapping saves the copy into a buffer but pays a page fault per page of every fresh mapping: expect
 * the two reads to be close, and let the measurement, not folklore, say which wins on your machine.
 *
 * <p>Reference solution. {@link #chunks} aims at {@code size * i / workers} and moves the cut forward to the byte
 * after the next {@code \n}, reading a few bytes with a positional {@code read}; a cut that meets or passes the next
 * one simply merges two ranges. All workers share one {@link FileChannel}: positional reads and {@code map} never
 * touch the channel's own position, so they are safe from many threads. {@link #readBuffered} limits every read to
 * its range (so it never parses the next worker's lines), lets {@link StationTable#parse} stop before an incomplete
 * line, and {@link ByteBuffer#compact()}s it to the front before the next read. {@link #readMapped} maps its range
 * into an {@link Arena} that it closes before returning, so the mapping is released at once instead of whenever the
 * garbage collector gets to it (on Windows an open mapping even keeps the file from being deleted). Workers run on
 * a fixed pool closed by try-with-resources; failures come back through {@link Future#get()} and are unwrapped.
 *
 * <p>Other ways: a worker can get a rough range and fix its own edges instead (skip the partial first line unless
 * it starts at 0, read past its end to finish its last line), which is how most 1BRC entries do it and saves the
 * separate splitting pass. {@code FileChannel.map} without an arena returns a {@link java.nio.MappedByteBuffer}:
 * its reads skip the arena's liveness checks and can be a little faster, but it is unmapped only when the garbage
 * collector gets to it. Both are limited to 2 GiB per buffer, so a bigger file needs more ranges (or
 * {@link MemorySegment} accessors instead of a {@code ByteBuffer} view). More ranges than workers, taken from a
 * shared queue, balance better when some ranges are slower (s2e09).
 */
public final class FileProcessing {
    /** How a worker reads its range of the file. */
    public enum Read {
        /** Positional reads into a small heap buffer, refilled until the range is done. */
        BUFFERED,
        /** The range mapped into memory and parsed in place. */
        MAPPED
    }

    /** The buffer size {@link #stations} uses for {@link Read#BUFFERED}. */
    public static final int BUFFER_BYTES = 64 * 1024;

    private FileProcessing() {
    }

    // ---------------------------------------------------------------------------------------------------------
    // Part A: many files, one task per file

    /** The word counts of all files in {@code folder}, counted one file per task on {@code workers} threads. */
    public static Map<String, Long> wordCount(Path folder, int workers, ThreadFactory factory) throws IOException {
        requireWorkers(workers);
        List<Path> files = filesIn(folder);
        Map<String, Long> total = new HashMap<>();
        if (files.isEmpty()) {
            return total;
        }
        try (ExecutorService pool = Executors.newFixedThreadPool(Math.min(workers, files.size()), factory)) {
            List<Future<Map<String, Long>>> counts = new ArrayList<>(files.size());
            for (Path file : files) {
                counts.add(pool.submit(() -> countWords(file)));
            }
            try {
                for (Future<Map<String, Long>> count : counts) {
                    resultOf(count).forEach((word, n) -> total.merge(word, n, Long::sum));
                }
            } finally {
                pool.shutdownNow(); // after a failure, the files not yet counted are not worth waiting for
            }
        }
        return total;
    }

    /** The baseline: the same count, one file after the other on the calling thread. */
    public static Map<String, Long> sequentialWordCount(Path folder) throws IOException {
        Map<String, Long> total = new HashMap<>();
        for (Path file : filesIn(folder)) {
            countWords(file).forEach((word, n) -> total.merge(word, n, Long::sum));
        }
        return total;
    }

    /** The regular files directly inside {@code folder}, in name order. */
    public static List<Path> filesIn(Path folder) throws IOException {
        try (Stream<Path> entries = Files.list(folder)) {
            return entries.filter(Files::isRegularFile).sorted().toList();
        }
    }

    /**
     * The words of one UTF-8 file and how often each occurs. A word is a run of letters and digits, lower-cased.
     *
     * @throws java.nio.charset.MalformedInputException if the file is not valid UTF-8
     */
    public static Map<String, Long> countWords(Path file) throws IOException {
        String text = Files.readString(file, StandardCharsets.UTF_8);
        Map<String, Long> counts = new HashMap<>();
        int wordStart = -1;
        for (int i = 0; i <= text.length(); ) {
            int c = i < text.length() ? text.codePointAt(i) : ' ';
            if (Character.isLetterOrDigit(c)) {
                if (wordStart < 0) {
                    wordStart = i;
                }
            } else if (wordStart >= 0) {
                counts.merge(text.substring(wordStart, i).toLowerCase(Locale.ROOT), 1L, Long::sum);
                wordStart = -1;
            }
            i += i < text.length() ? Character.charCount(c) : 1;
        }
        return counts;
    }

    // ---------------------------------------------------------------------------------------------------------
    // Part B: one big file, one byte range per worker

    /** Cuts the file into at most {@code workers} ranges of whole lines, of about the same size. */
    public static List<Chunk> chunks(FileChannel channel, int workers) throws IOException {
        requireWorkers(workers);
        long size = channel.size();
        List<Chunk> chunks = new ArrayList<>(workers);
        long start = 0;
        for (int i = 1; i <= workers && start < size; i++) {
            long end = i == workers ? size : nextLineStart(channel, Math.max(start, size * i / workers), size);
            if (end > start) {
                chunks.add(new Chunk(start, end));
                start = end;
            }
        }
        return chunks;
    }

    /** The first line start at or after {@code position}: {@code position} itself if a line starts there. */
    private static long nextLineStart(FileChannel channel, long position, long size) throws IOException {
        if (position == 0 || position >= size) {
            return Math.min(position, size);
        }
        ByteBuffer buffer = ByteBuffer.allocate(StationTable.MAX_LINE_BYTES);
        for (long at = position - 1; at < size; ) { // from the byte before: is it already a '\n'?
            buffer.clear();
            int read = channel.read(buffer, at);
            if (read < 0) {
                break;
            }
            for (int i = 0; i < read; i++) {
                if (buffer.get(i) == '\n') {
                    return at + i + 1;
                }
            }
            at += read;
        }
        return size;
    }

    /**
     * Reads the lines of {@code chunk} through one buffer of {@code bufferBytes} bytes, refilled as it goes; the
     * buffer must hold the longest line, {@link StationTable#MAX_LINE_BYTES}.
     */
    public static StationTable readBuffered(FileChannel channel, Chunk chunk, int bufferBytes) throws IOException {
        if (bufferBytes < StationTable.MAX_LINE_BYTES) {
            throw new IllegalArgumentException("the buffer must hold the longest line, "
                    + StationTable.MAX_LINE_BYTES + " bytes; it has " + bufferBytes);
        }
        StationTable table = new StationTable();
        ByteBuffer buffer = ByteBuffer.allocate(bufferBytes);
        long position = chunk.start();
        while (position < chunk.end()) {
            buffer.limit((int) Math.min(buffer.capacity(), buffer.position() + (chunk.end() - position)));
            int read = channel.read(buffer, position);
            if (read < 0) {
                throw new EOFException("the file ended at byte " + position + ", inside " + chunk);
            }
            position += read;
            buffer.flip();
            table.parse(buffer, position == chunk.end()); // stops before a line the next read will complete
            buffer.compact();
        }
        return table;
    }

    /** Reads the lines of {@code chunk} by mapping it into memory (chunks below 2 GiB). */
    public static StationTable readMapped(FileChannel channel, Chunk chunk) throws IOException {
        StationTable table = new StationTable();
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment mapped = channel.map(FileChannel.MapMode.READ_ONLY, chunk.start(), chunk.length(), arena);
            table.parse(mapped.asByteBuffer(), true);
        }
        return table;
    }

    /** The stations of {@code file}, one range per worker on at most {@code workers} threads. */
    public static StationTable stations(Path file, int workers, Read read, ThreadFactory factory)
            throws IOException {
        requireWorkers(workers);
        StationTable total = new StationTable();
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            List<Chunk> chunks = chunks(channel, workers);
            if (chunks.isEmpty()) {
                return total;
            }
            try (ExecutorService pool = Executors.newFixedThreadPool(chunks.size(), factory)) {
                List<Future<StationTable>> partials = new ArrayList<>(chunks.size());
                for (Chunk chunk : chunks) {
                    partials.add(pool.submit(() -> switch (read) {
                        case BUFFERED -> readBuffered(channel, chunk, BUFFER_BYTES);
                        case MAPPED -> readMapped(channel, chunk);
                    }));
                }
                try {
                    for (Future<StationTable> partial : partials) {
                        total.merge(resultOf(partial));
                    }
                } finally {
                    pool.shutdownNow();
                }
            }
        }
        return total;
    }

    /** The baseline: the whole file read into one array and parsed in one go, on the calling thread. */
    public static StationTable sequentialStations(Path file) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        StationTable table = new StationTable();
        table.parse(ByteBuffer.wrap(bytes), true);
        return table;
    }

    // ---------------------------------------------------------------------------------------------------------

    private static void requireWorkers(int workers) {
        if (workers < 1) {
            throw new IllegalArgumentException("workers must be at least 1, was " + workers);
        }
    }

    /** The task's result, or the exception it threw, unwrapped; an interrupt is kept and reported. */
    private static <T> T resultOf(Future<T> future) throws IOException {
        try {
            return future.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new java.io.InterruptedIOException("interrupted while waiting for a worker");
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof IOException io) {
                throw io;
            }
            if (cause instanceof UncheckedIOException unchecked) {
                throw unchecked.getCause();
            }
            if (cause instanceof RuntimeException unchecked) {
                throw unchecked;
            }
            if (cause instanceof Error error) {
                throw error;
            }
            throw new IllegalStateException("a worker failed", cause);
        }
    }
}
