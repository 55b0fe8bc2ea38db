package parlab.stage3.etl;

/**
 * One piece of the input file for s3e13: the bytes {@code [start, end)}, numbered from 0 in file order. A chunk
 * made by {@link ParallelEtl#chunks} always holds whole lines: it starts at the beginning of the file or just after
 * a {@code '\n'}, and ends just after a {@code '\n'} or at the end of the file.
 */
public record Chunk(int index, long start, long end) {
    public Chunk {
        if (index < 0 || start < 0 || end < start) {
            throw new IllegalArgumentException("bad chunk " + index + " [" + start + ", " + end + ")");
        }
    }

    /** Its size in bytes. */
    public long length() {
        return end - start;
    }
}
