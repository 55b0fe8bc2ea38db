package parlab.stage2.counters;

/**
 * A counter whose read-modify-write happens under one lock.
 *
 * <p>Reference solution. {@code count} is guarded by {@code lock}: {@link #increment()} reads and writes it inside
 * one {@code synchronized} block, so no other increment can fall between the read and the write, and {@link #get()}
 * takes the same lock, so it sees the last increment that released it (unlock happens-before the next lock). The
 * lock is a private object rather than {@code this}, so no outside code can hold it and stall every increment.
 */
public final class SynchronizedCounter implements Counter {
    private final Object lock = new Object();
    private long count; // guarded by lock

    @Override
    public void increment() {
        synchronized (lock) {
            count++;
        }
    }

    @Override
    public long get() {
        synchronized (lock) {
            return count;
        }
    }
}
