package parlab.stage2.counters;

/**
 * A counter spread over {@code stripes} cells: a thread adds to the cell chosen by its identity, {@link #get()}
 * adds up the cells. Like {@code java.util.concurrent.atomic.LongAdder}, which is not to be used here.
 */
public final class StripedCounter implements Counter {

    /** A counter with {@code stripes} cells; {@code stripes < 1} is an {@link IllegalArgumentException}. */
    public StripedCounter(int stripes) {
        // TODO: validate stripes and allocate the cells, spaced apart so that two cells never share a cache line
    }

    @Override
    public void increment() {
        // TODO: add one, atomically, to the cell of the current thread (always the same cell for the same thread)
        throw new UnsupportedOperationException("TODO: StripedCounter.increment");
    }

    @Override
    public long get() {
        // TODO: add up all the cells
        throw new UnsupportedOperationException("TODO: StripedCounter.get");
    }

    /** The count in each cell, one entry per stripe, in cell order (a copy). */
    public long[] cells() {
        // TODO: copy each cell's count into a new array of length stripes
        throw new UnsupportedOperationException("TODO: StripedCounter.cells");
    }
}
