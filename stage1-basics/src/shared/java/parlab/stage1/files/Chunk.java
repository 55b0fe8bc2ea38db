package parlab.stage1.files;

/**
 * A byte range {@code [start, end)} of a file, given to one worker. Plumbing: the same in the exercise and in the
 * solution.
 */
public record Chunk(long start, long end) {
    public Chunk {
        if (start < 0 || end < start) {
            throw new IllegalArgumentException("a chunk needs 0 <= start <= end, was [" + start + ", " + end + ")");
        }
    }

    /** The number of bytes in the range. */
    public long length() {
        return end - start;
    }
}
