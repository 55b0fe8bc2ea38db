package parlab.stage2.primitives;

import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * s2e03 · A bounded buffer on one lock and two conditions, the way {@code ArrayBlockingQueue} is built.
 *
 * <p>A ring of {@code capacity} slots. {@link #put} waits while the buffer is full, {@link #take} waits while it is
 * empty; {@link #offer} and {@link #poll} never wait. The waiting is done on two {@link Condition}s of one
 * {@link ReentrantLock}: {@code notFull}, where putters wait for space, and {@code notEmpty}, where takers wait for
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
 * <p>Reference solution. Every method holds the lock for its whole check-then-act. A waiter re-checks its condition
 * in a {@code while} loop after every wake-up: a signal only says "it may have changed" (another thread may have
 * got there first, and wake-ups can be spurious). {@code put} signals {@code notEmpty} (one item: one taker can go
 * on), {@code take} signals {@code notFull}; because putters and takers wait on different conditions, a signal
 * always reaches a thread that can use it, so {@code signal()} is enough and {@code signalAll()} is not needed.
 *
 * <p>Other ways: with one condition for both kinds of waiters (or {@code synchronized} with {@code wait/notify}),
 * a putter's signal may wake another putter, and the taker that should have woken sleeps on: then every signal
 * must be {@code signalAll()}, which wakes everybody to let one go. {@code ArrayBlockingQueue} is this class, ready
 * made.
 */
public final class BoundedBuffer<T> {
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition notFull = lock.newCondition();
    private final Condition notEmpty = lock.newCondition();
    private final Object[] items; // guarded by lock: a ring of count items starting at head
    private int head;
    private int count;

    public BoundedBuffer(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be at least 1, was " + capacity);
        }
        items = new Object[capacity];
    }

    /** Adds {@code item}, waiting while the buffer is full. */
    public void put(T item) throws InterruptedException {
        requireItem(item);
        lock.lockInterruptibly();
        try {
            while (count == items.length) {
                notFull.await();
            }
            enqueue(item);
        } finally {
            lock.unlock();
        }
    }

    /** Removes and returns the oldest item, waiting while the buffer is empty. */
    public T take() throws InterruptedException {
        lock.lockInterruptibly();
        try {
            while (count == 0) {
                notEmpty.await();
            }
            return dequeue();
        } finally {
            lock.unlock();
        }
    }

    /** Adds {@code item} if there is room right now. */
    public boolean offer(T item) {
        requireItem(item);
        lock.lock();
        try {
            if (count == items.length) {
                return false;
            }
            enqueue(item);
            return true;
        } finally {
            lock.unlock();
        }
    }

    /** Removes and returns the oldest item, or {@code null} if the buffer is empty right now. */
    public T poll() {
        lock.lock();
        try {
            return count == 0 ? null : dequeue();
        } finally {
            lock.unlock();
        }
    }

    public int size() {
        lock.lock();
        try {
            return count;
        } finally {
            lock.unlock();
        }
    }

    public int capacity() {
        return items.length;
    }

    private void enqueue(T item) { // lock held, count < capacity
        items[(head + count) % items.length] = item;
        count++;
        notEmpty.signal();
    }

    private T dequeue() { // lock held, count > 0
        @SuppressWarnings("unchecked")
        T item = (T) items[head];
        items[head] = null;
        head = (head + 1) % items.length;
        count--;
        notFull.signal();
        return item;
    }

    private static void requireItem(Object item) {
        if (item == null) {
            throw new NullPointerException("a bounded buffer holds no null items");
        }
    }
}
