package parlab.stage1.files;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
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
 * <p>Things to think about: a cut lands on byte 1,000,000, in the middle of "Ségou;25.7": which worker gets that
 * line, and how do you make sure the other one does not get it too? What if the cut lands exactly on a {@code \n},
 * or just after one? How many bytes must you look at, at most, to find the next line start? Can all workers share
 * one {@link FileChannel}? When is the mapped memory released?
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
        // TODO: reject workers < 1
        // TODO: submit one task per file (countWords) to a pool of at most min(workers, files) threads from factory
        // TODO: add up the per-file counts; rethrow a task's IOException itself; always close the pool
        throw new UnsupportedOperationException("TODO: wordCount");
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
        // TODO: reject workers < 1; an empty file has no chunks
        // TODO: aim the i-th cut at size * i / workers, then move it to the start of the next line
        // TODO: skip a cut that does not move past the previous one, so that no chunk is empty
        throw new UnsupportedOperationException("TODO: chunks");
    }

    /**
     * Reads the lines of {@code chunk} through one buffer of {@code bufferBytes} bytes, refilled as it goes; the
     * buffer must hold the longest line, {@link StationTable#MAX_LINE_BYTES}.
     */
    public static StationTable readBuffered(FileChannel channel, Chunk chunk, int bufferBytes) throws IOException {
        // TODO: read the range with positional reads into one buffer of bufferBytes, never past chunk.end()
        // TODO: after each read, parse the complete lines and keep the incomplete last one for the next round
        throw new UnsupportedOperationException("TODO: readBuffered");
    }

    /** Reads the lines of {@code chunk} by mapping it into memory (chunks below 2 GiB). */
    public static StationTable readMapped(FileChannel channel, Chunk chunk) throws IOException {
        // TODO: map the range read-only, parse it in place, and release the mapping before returning
        throw new UnsupportedOperationException("TODO: readMapped");
    }

    /** The stations of {@code file}, one range per worker on at most {@code workers} threads. */
    public static StationTable stations(Path file, int workers, Read read, ThreadFactory factory)
            throws IOException {
        // TODO: reject workers < 1, open the file once, and cut it into chunks
        // TODO: read each chunk on its own worker (threads from factory, at most workers), the way `read` says
        // TODO: merge the partial tables; rethrow a worker's exception itself; always close the pool
        throw new UnsupportedOperationException("TODO: stations");
    }

    /** The baseline: the whole file read into one array and parsed in one go, on the calling thread. */
    public static StationTable sequentialStations(Path file) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        StationTable table = new StationTable();
        table.parse(ByteBuffer.wrap(bytes), true);
        return table;
    }
}
