package parlab.capstone;

import java.lang.foreign.MemorySegment;
import java.util.List;

/**
 * Milestone 1: cut a mapped file into chunks of about {@code chunkSize} bytes.
 *
 * <p>Contract: the chunks are in file order with ids 0, 1, 2, ...; they cover every byte of the file exactly once
 * (the first starts at 0, each starts where the previous one ends, the last ends at the file's size); every chunk
 * but the last ends just after a {@code '\n'}, so no line is split between two chunks; a chunk is at least
 * {@code chunkSize} bytes unless it is the last; an empty file has no chunk. The same file and size always give the
 * same chunks (a restarted run relies on it). Positions are {@code long}: files over 2 GB must work.
 *
 * <p>Read bytes with {@code file.get(ValueLayout.JAVA_BYTE, position)}.
 */
public final class Chunker {
    private Chunker() {
    }

    /** The chunks of {@code file}, in file order, ids from 0; none for an empty file. */
    public static List<Chunk> split(MemorySegment file, long chunkSize) {
        throw new UnsupportedOperationException("TODO: cut the file into chunks that end just after a line break");
    }
}
