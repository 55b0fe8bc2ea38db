package parlab.stage2.arrays;

/** The indices {@code [from, to)} of an array. */
public record Range(int from, int to) {
    public Range {
        if (from < 0 || from > to) {
            throw new IllegalArgumentException("a range needs 0 <= from <= to, was [" + from + ", " + to + ")");
        }
    }

    /** The number of indices in the range. */
    public int size() {
        return to - from;
    }
}
