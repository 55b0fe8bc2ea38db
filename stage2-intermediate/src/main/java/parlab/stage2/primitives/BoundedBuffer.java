package parlab.stage2.primitives;

/**
 * s2e03 · A bounded buffer on one lock and two conditions, the way {@code ArrayBlockingQueue} is built.
 *
 * <p>A ring of {@code capacity} slots. {@link #put} waits while the buffer is full, {@link #take} waits while it is
 * empty; {@link #offer} and {@link #poll} never wait. The waiting is done on two {@link java.util.concurrent.locks.Condition}s of one
 * {@link java.util.concurrent.locks.ReentrantLock}: {@code notFull}, where putters wait for space, and {@code notEmpty}, where takers wait for
 * items.
 *
 * <p>The contract, which the tests pin down:
 * <ul>
 *   <li>first in, first out; never more than {@code capacity} items; {@code null} items are a
 *       {@link NullPointerException};
 *   <li>every operation is atomic: a model checker explores the interleavings of {@link #offer}, {@link #poll} and
 *       {@link #size} on a buffer of capacity 1 and finds each execution equal to some one-at-a-time order;
 *   <li>no lost wake-up: a {@link #take} waiting on an empty buffer returns once an item is put, a {@link #put}
 *       waiting on a full buffer returns once an item is taken, however many producers and consumers wait;
 *   <li>a thread interrupted while it waits gets {@link InterruptedException} and the buffer is unchanged;
 *   <li>{@code capacity < 1} is an {@link IllegalArgumentException}.
 * </ul>
 *
 * <p>Things to think about: why must a waiter re-check its condition after {@code await()} returns? Which condition
 * does {@code put} signal, and which one does {@code take}? What goes wrong if {@code offer} looks at the count
 * before it takes the lock?
 */
public final class BoundedBuffer<T> {
    // TODO: a ReentrantLock, its two Conditions (notFull, notEmpty) and a ring of slots, all guarded by the lock

    public BoundedBuffer(int capacity) {
        // TODO: check the capacity and create the lock, the conditions and the ring
        throw new UnsupportedOperationException("TODO: BoundedBuffer");
    }

    /** Adds {@code item}, waiting while the buffer is full. */
    public void put(T item) throws InterruptedException {
        // TODO: under the lock, wait on notFull while full; add the item and wake one taker
        throw new UnsupportedOperationException("TODO: put");
    }

    /** Removes and returns the oldest item, waiting while the buffer is empty. */
    public T take() throws InterruptedException {
        // TODO: under the lock, wait on notEmpty while empty; remove the oldest item and wake one putter
        throw new UnsupportedOperationException("TODO: take");
    }

    /** Adds {@code item} if there is room right now. */
    public boolean offer(T item) {
        // TODO: like put, but return false instead of waiting
        throw new UnsupportedOperationException("TODO: offer");
    }

    /** Removes and returns the oldest item, or {@code null} if the buffer is empty right now. */
    public T poll() {
        // TODO: like take, but return null instead of waiting
        throw new UnsupportedOperationException("TODO: poll");
    }

    public int size() {
        // TODO: the number of items, read under the lock
        throw new UnsupportedOperationException("TODO: size");
    }

    public int capacity() {
        // TODO: the capacity given to the constructor
        throw new UnsupportedOperationException("TODO: capacity");
    }
}
