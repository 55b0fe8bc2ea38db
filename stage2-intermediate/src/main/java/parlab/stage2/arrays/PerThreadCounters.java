package parlab.stage2.arrays;

/**
 * One counter per thread in one shared {@code long[]}: slot {@code t} is written only by thread {@code t}, so a plain
 * read-add-write is safe, and it is read by others only after that thread has been joined. Slots are {@code spacing}
 * longs apart: {@link #UNPADDED} puts them side by side, {@link #PADDED} 128 bytes apart.
 */
public final class PerThreadCounters {
    /** Adjacent slots: eight of them share one 64-byte cache line. */
    public static final int UNPADDED = 1;
    /** Slots 16 longs (128 bytes) apart: never in the same cache line, nor in the same pair of lines. */
    public static final int PADDED = 16;

    /** Counters for {@code threads} threads, {@code spacing} longs apart; both must be at least 1. */
    public PerThreadCounters(int threads, int spacing) {
        // TODO: validate; allocate one long[] with room for every slot at its spacing
    }

    /** The index in the array of thread {@code thread}'s slot. */
    public int slotIndex(int thread) {
        // TODO: where slot `thread` lives, given the spacing (check the thread number)
        throw new UnsupportedOperationException("TODO: slotIndex");
    }

    /** Adds {@code delta} to thread {@code thread}'s slot; only thread {@code thread} may call this. */
    public void add(int thread, long delta) {
        // TODO: add to the thread's slot (it has a single writer: no lock, no atomic)
        throw new UnsupportedOperationException("TODO: add");
    }

    /** Thread {@code thread}'s count (call it after that thread has been joined). */
    public long get(int thread) {
        // TODO: read the thread's slot
        throw new UnsupportedOperationException("TODO: get");
    }

    /** Starts one platform thread per slot; thread {@code t} calls {@code add(t, 1)} {@code perThread} times; joins all. */
    public void countInParallel(long perThread) {
        // TODO: start one thread per slot, each adding to its own slot only; join them all before returning
        throw new UnsupportedOperationException("TODO: countInParallel");
    }
}
