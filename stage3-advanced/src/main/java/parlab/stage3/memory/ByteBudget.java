package parlab.stage3.memory;

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
 * <p>Baseline experiment: the canary in the tests, a budget that checks {@code available >= bytes} and then
 * subtracts, without a lock. Two threads that both want the last 3 of 4 free bytes can both see them free, and both
 * take them: the budget goes negative. Lincheck finds that interleaving every time; your budget must survive it.
 *
 * <p>Things to think about: which check and which update must be one indivisible step? When bytes are released,
 * which waiters should wake up, when each wants a different amount? What should a request do that could not fit
 * even into an empty budget?
 */
public final class ByteBudget {
    private final long capacity;

    public ByteBudget(long capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be at least 1 byte, was " + capacity);
        }
        this.capacity = capacity;
        // TODO: the state you need: the bytes free now, and what guards it
    }

    public long capacity() {
        return capacity;
    }

    /** Waits until {@code bytes} are free and takes them. */
    public void acquire(long bytes) throws InterruptedException {
        // TODO: reject a negative request and one larger than the capacity, at once
        // TODO: wait (without spinning, interruptibly) until enough bytes are free, then take them in one step
        throw new UnsupportedOperationException("TODO: acquire");
    }

    /** Takes {@code bytes} if they are free now; never waits. */
    public boolean tryAcquire(long bytes) {
        // TODO: the same checks; take the bytes if they are free now, else return false
        throw new UnsupportedOperationException("TODO: tryAcquire");
    }

    /** Gives back {@code bytes} acquired earlier. */
    public void release(long bytes) {
        // TODO: refuse to release more than is held; give the bytes back and wake the waiters that may fit now
        throw new UnsupportedOperationException("TODO: release");
    }

    /** The bytes free at this moment. */
    public long available() {
        // TODO: read the free bytes safely
        throw new UnsupportedOperationException("TODO: available");
    }
}
