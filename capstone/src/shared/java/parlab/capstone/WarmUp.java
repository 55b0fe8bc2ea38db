package parlab.capstone;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Puts the time the database takes to open to use. Opening DuckDB (loading its native library, starting its
 * threads, creating the tables) keeps one core busy for a good fraction of a second; meanwhile this thread parses
 * the first few megabytes of the input over and over with {@link ChunkParser} and throws the results away, so
 * that the JIT has compiled the parser before the real run starts on every core. Measured on 2 cores: the run's
 * first chunks otherwise go at interpreter and C1 speed.
 *
 * <p>Harmless when the parser is not written yet or fails: the warm-up just stops. {@link #stop} asks it to stop
 * and waits for it, so no thread outlives the run.
 */
final class WarmUp {
    /** Bytes parsed per round; the warm-up never reads past the first {@code 4 * SLICE} bytes. */
    private static final long SLICE = 1L << 20;
    private static final int MAX_ROUNDS = 64;

    private final Thread thread;
    private volatile boolean stopped;

    private WarmUp(Path input) {
        thread = Thread.ofPlatform().name("capstone-warm-up").daemon().unstarted(() -> run(input));
    }

    static WarmUp start(Path input) {
        WarmUp warmUp = new WarmUp(input);
        warmUp.thread.start();
        return warmUp;
    }

    /** Stops the warm-up and waits until its thread has ended. */
    void stop() throws InterruptedException {
        stopped = true;
        thread.join();
    }

    private void run(Path input) {
        try (FileChannel channel = FileChannel.open(input, StandardOpenOption.READ); Arena arena = Arena.ofConfined()) {
            MemorySegment file = channel.map(FileChannel.MapMode.READ_ONLY, 0, channel.size(), arena);
            for (int round = 0; round < MAX_ROUNDS && !stopped; round++) {
                long start = lineStart(file, (round % 4) * SLICE);
                long end = lineStart(file, start + SLICE);
                if (start >= end) {
                    return;
                }
                ChunkParser.parse(file, new Chunk(0, start, end));
            }
        } catch (IOException | RuntimeException | Error e) {
            // the real run reports whatever is wrong with the input or the parser
        }
    }

    /** The start of the first line at or after {@code from}, or the file's size. */
    private static long lineStart(MemorySegment file, long from) {
        long size = file.byteSize();
        if (from == 0 || from >= size) {
            return Math.min(from, size);
        }
        for (long i = from - 1; i < size; i++) {
            if (file.get(ValueLayout.JAVA_BYTE, i) == '\n') {
                return i + 1;
            }
        }
        return size;
    }
}
