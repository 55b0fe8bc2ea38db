package parlab.stage2.counters;

import java.util.concurrent.atomic.AtomicLongArray;

/**
 * A counter spread over {@code stripes} cells: a thread adds to the cell chosen by its identity, {@link #get()}
 * adds up the cells. Like {@code java.util.concurrent.atomic.LongAdder}, which is not to be used here.
 *
 * <p>Reference solution. The cells live in one {@link AtomicLongArray}, {@value #SPACING} longs (128 bytes) apart,
 * so two cells never share a 64-byte cache line, nor the pair of lines that Intel's adjacent-line prefetcher
 * fetches together: threads on different cells never invalidate each other's line. A thread's cell is its
 * {@link Thread#threadId()} modulo {@code stripes}; threads that share a cell still add atomically
 * ({@code getAndIncrement}), so sharing costs speed, never correctness. {@link #get()} reads the cells one by one
 * without stopping the writers: the sum is not a snapshot of every cell at one instant, but because the count only
 * grows one by one, it passes through every value between the count at the start of the read and the count at its
 * end, so the returned value is one the counter really had during the call.
 *
 * <p>Other ways: {@code LongAdder} starts with a single base field and only grows its cell table when a CAS
 * fails, and moves a thread to another cell when it collides (a per-thread probe that is rehashed): no memory cost
 * without contention, and no fixed stripe count to guess. It pads its cells with {@code @Contended}, which is
 * closed to code outside the JDK unless {@code -XX:-RestrictContended}. The price of striping in every form is a
 * slower {@link #get()} (it reads every cell) and more memory: a good trade for statistics written often and read
 * rarely, a bad one for a sequence number that must be read after every increment.
 */
public final class StripedCounter implements Counter {
    /** Longs between two cells: 16 x 8 bytes = 128 bytes, two cache lines. */
    private static final int SPACING = 16;

    private final int stripes;
    private final AtomicLongArray cells; // cell i is at index i * SPACING; the slots in between stay unused

    /** A counter with {@code stripes} cells; {@code stripes < 1} is an {@link IllegalArgumentException}. */
    public StripedCounter(int stripes) {
        if (stripes < 1) {
            throw new IllegalArgumentException("stripes must be at least 1, was " + stripes);
        }
        this.stripes = stripes;
        this.cells = new AtomicLongArray(Math.multiplyExact(stripes, SPACING));
    }

    @Override
    public void increment() {
        cells.getAndIncrement(slotOf(Thread.currentThread()));
    }

    @Override
    public long get() {
        long sum = 0;
        for (int i = 0; i < stripes; i++) {
            sum += cells.get(i * SPACING);
        }
        return sum;
    }

    /** The count in each cell, one entry per stripe, in cell order (a copy). */
    public long[] cells() {
        long[] counts = new long[stripes];
        for (int i = 0; i < stripes; i++) {
            counts[i] = cells.get(i * SPACING);
        }
        return counts;
    }

    private int slotOf(Thread thread) {
        return (int) (thread.threadId() % stripes) * SPACING;
    }
}
