package parlab.capstone;

/**
 * One piece of the input: the bytes {@code [start, end)} of the file, which begin at the start of a line and end
 * just after a {@code '\n'} (or at the end of the file). {@code id} is its place in file order, from 0; a run is
 * cut the same way every time (same file, same chunk size), so the id names the same bytes across restarts.
 */
public record Chunk(int id, long start, long end) {
    public Chunk {
        if (id < 0 || start < 0 || end < start) {
            throw new IllegalArgumentException("bad chunk " + id + " [" + start + ", " + end + ")");
        }
    }

    public long size() {
        return end - start;
    }
}
