package parlab.stage3.memory;

import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * s3e06 · Memory limits, part 1: a byte-weighted admission budget.
 *
 * <p>A pool of N threads bounds how many tasks run, not how much memory they hold: eight workers that each load a
 * 200 MB file need 1.6 GB, and one such batch is enough to end a JVM with {@code -Xmx1g}. The fix is to admit work
 * by its weight in bytes: before a task loads its input it {@link #acquire acquires} that many bytes from a shared
 * budget, and {@link #release releases} them when it has let go of the data. Then the bytes in flight never exceed
 * the budget, whatever the number of threads.
 *
 * <p>The contract, which the tests pin down:
 * <ul>
 *   <li>the bytes held (acquired and not yet released) never exceed {@link #capacity()}, under any interleaving;
 *   <li>{@link #acquire} waits, without burning CPU, until that many bytes are free, then takes them all at once
 *       (never a part); an interrupt while waiting ends it with {@link InterruptedException}, holding nothing;
 *   <li>{@link #tryAcquire} takes the bytes if they are free now, and otherwise returns {@code false} at once;
 *   <li>a request larger than the whole budget can never be admitted: both throw {@link RequestTooLargeException}
 *       at once instead of waiting for ever; a negative request is an {@link IllegalArgumentException};
 *   <li>{@link #release} returns bytes and wakes the waiters that may now fit; releasing more than is held is an
 *       {@link IllegalStateException} (a bookkeeping bug, better loud than silently growing the budget).
 * </ul>
 *
 * <p>Reference solution. One lock guards one number, {@code available}; the check "enough bytes?" and the
 * subtraction happen under it, so no two threads can both see the same free bytes. Waiters wait on one
 * {@link Condition}, and a release wakes them all ({@code signalAll}): requests differ in size, so the one that
 * {@code signal} would wake might not fit while another would, and the bytes would sit unused (a lost wake-up).
 *
 * <p>Other ways: {@code new Semaphore(capacity, true)} with {@code acquire(bytes)} is the same thing in one line
 * when the budget fits an {@code int} (2 GB); its fair mode also stops a stream of small requests from starving
 * a big one, which this budget does not promise. A budget in kilobytes or in 64 KB pages widens the range.
 */
public final class ByteBudget {
    private final long capacity;
    private final ReentrantLock lock = new ReentrantLock();
    /** Signalled (all) whenever bytes are released. */
    private final Condition released = lock.newCondition();
    /** Bytes free now; guarded by {@code lock}. */
    private long available;

    public ByteBudget(long capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be at least 1 byte, was " + capacity);
        }
        this.capacity = capacity;
        this.available = capacity;
    }

    public long capacity() {
        return capacity;
    }

    private void check(long bytes) {
        if (bytes < 0) {
            throw new IllegalArgumentException("cannot acquire a negative number of bytes: " + bytes);
        }
        if (bytes > capacity) {
            throw new RequestTooLargeException(bytes, capacity);
        }
    }

    /** Waits until {@code bytes} are free and takes them. */
    public void acquire(long bytes) throws InterruptedException {
        check(bytes);
        lock.lockInterruptibly();
        try {
            while (available < bytes) {
                released.await();
            }
            available -= bytes;
        } finally {
            lock.unlock();
        }
    }

    /** Takes {@code bytes} if they are free now; never waits. */
    public boolean tryAcquire(long bytes) {
        check(bytes);
        lock.lock();
        try {
            if (available < bytes) {
                return false;
            }
            available -= bytes;
            return true;
        } finally {
            lock.unlock();
        }
    }

    /** Gives back {@code bytes} acquired earlier. */
    public void release(long bytes) {
        if (bytes < 0) {
            throw new IllegalArgumentException("cannot release a negative number of bytes: " + bytes);
        }
        lock.lock();
        try {
            if (bytes > capacity - available) {
                throw new IllegalStateException("release of " + bytes + " bytes, but only " + (capacity - available)
                        + " are held");
            }
            available += bytes;
            released.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** The bytes free at this moment. */
    public long available() {
        lock.lock();
        try {
            return available;
        } finally {
            lock.unlock();
        }
    }
}
