package parlab.capstone;

import java.lang.foreign.MemorySegment;

/**
 * Milestone 2: parse one chunk of a mapped 1BRC file into its partial aggregate. Many threads call this at once,
 * each on its own chunk of the same mapping.
 *
 * <p>A good line is {@code <name>;<temperature>} followed by {@code '\n'} (or by the end of the file): a name of
 * 1 to {@link #MAX_NAME_BYTES} bytes of valid UTF-8 (up to the first {@code ';'}), a temperature matching
 * {@code -?\d{1,2}\.\d} (so within [-99.9, 99.9], exactly one fractional digit), in tenths of a degree. Every other
 * line (empty, no {@code ';'}, empty or too long or invalid name, a temperature that is not a number, out of range
 * or without exactly one fractional digit) becomes a {@link Reject}: its byte offset in the file, its index among
 * the chunk's lines (from 0), a reason starting with one of {@link Reasons}' constants ({@link Reasons#temperature}
 * tells which for a bad temperature), and its text (at most a few hundred bytes); the parse goes on with the next line.
 * Only the first {@link #MAX_REJECTS_KEPT} rejects of a chunk are kept in the result (the others are counted, as
 * {@code lines - rows}): a chunk full of bad lines must not need more memory than a good one.
 *
 * <p>The result counts every line of the chunk ({@code lines}) and the good ones ({@code rows}), and maps each
 * station to the {@link StationStats} of its good lines. Fast means: no {@code String} and no other object per
 * line; parse the bytes (a station table keyed by the name's bytes, a {@code String} per station at the end).
 */
public final class ChunkParser {
    /** The longest station name, in UTF-8 bytes (the challenge's rule). */
    public static final int MAX_NAME_BYTES = 100;
    /** The most rejects of one chunk that its result keeps with their text; the others are only counted. */
    public static final int MAX_REJECTS_KEPT = 10_000;

    private ChunkParser() {
    }

    public static ChunkResult parse(MemorySegment file, Chunk chunk) {
        throw new UnsupportedOperationException("TODO: parse the chunk's lines into per-station stats and rejects");
    }
}
