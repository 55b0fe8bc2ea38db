package parlab.capstone;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.List;

/**
 * Cuts a mapped file into chunks of about {@code chunkSize} bytes that start at a line's first byte and end just
 * after a {@code '\n'} (the last one at the end of the file): no line is ever split between two chunks, and the
 * chunks cover every byte exactly once, in order. Positions are {@code long}s and the file is a
 * {@link MemorySegment}, so files over 2 GB work (a {@code MappedByteBuffer} stops at 2 GB).
 *
 * <p>The cut reads only a few bytes per chunk (from the target end to the next line break), so it costs nothing
 * next to the parse; it is deterministic, so a restarted run cuts the file the same way and chunk ids name the
 * same bytes.
 */
public final class Chunker {
    private Chunker() {
    }

    /** The chunks of {@code file}, in file order, ids from 0; none for an empty file. */
    public static List<Chunk> split(MemorySegment file, long chunkSize) {
        if (chunkSize < 1) {
            throw new IllegalArgumentException("chunk size must be at least 1, got " + chunkSize);
        }
        long size = file.byteSize();
        List<Chunk> chunks = new ArrayList<>();
        long start = 0;
        while (start < size) {
            long end = size - start <= chunkSize ? size : nextLineStart(file, start + chunkSize - 1, size);
            chunks.add(new Chunk(chunks.size(), start, end));
            start = end;
        }
        return chunks;
    }

    /** The position just after the first {@code '\n'} at or after {@code from}, or {@code size} if there is none. */
    private static long nextLineStart(MemorySegment file, long from, long size) {
        for (long i = from; i < size; i++) {
            if (file.get(ValueLayout.JAVA_BYTE, i) == '\n') {
                return i + 1;
            }
        }
        return size;
    }
}
