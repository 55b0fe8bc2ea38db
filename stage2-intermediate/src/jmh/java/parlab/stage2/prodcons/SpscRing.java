package parlab.stage2.prodcons;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Benchmark plumbing: a bounded ring buffer for exactly one producer thread and one consumer thread, no locks.
 *
 * <p>The producer alone writes {@code tail}, the consumer alone writes {@code head}; each publishes its counter with
 * a release store after touching the slot, and reads the other's with an acquire load, so a slot is never read
 * before it is written nor overwritten before it is read. Waiting, when full or empty, is a spin
 * ({@link Thread#onSpinWait}): cheap when the other side is running on another core, wasteful when it is not.
 */
final class SpscRing<T> {
    private final Object[] slots;
    private final int mask;
    private final AtomicLong head = new AtomicLong(); // next slot to read; written by the consumer only
    private final AtomicLong tail = new AtomicLong(); // next slot to write; written by the producer only

    SpscRing(int capacityPowerOfTwo) {
        if (Integer.bitCount(capacityPowerOfTwo) != 1) {
            throw new IllegalArgumentException("capacity must be a power of two, was " + capacityPowerOfTwo);
        }
        slots = new Object[capacityPowerOfTwo];
        mask = capacityPowerOfTwo - 1;
    }

    /** Producer side: waits while the ring is full. */
    void put(T item) {
        long t = tail.getPlain();
        while (t - head.getAcquire() == slots.length) {
            Thread.onSpinWait();
        }
        slots[(int) (t & mask)] = item;
        tail.setRelease(t + 1);
    }

    /** Consumer side: waits while the ring is empty. */
    @SuppressWarnings("unchecked")
    T take() {
        long h = head.getPlain();
        while (tail.getAcquire() == h) {
            Thread.onSpinWait();
        }
        int index = (int) (h & mask);
        T item = (T) slots[index];
        slots[index] = null;
        head.setRelease(h + 1);
        return item;
    }
}
