package parlab.stage2.deadlocks;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * s2e02 · Deadlocks and their fixes: bank transfers.
 *
 * <p>A transfer between two accounts must change both balances as one step: nobody may ever see the money gone
 * from one account and not yet on the other. So it holds both accounts' locks at once. The obvious way deadlocks:
 * <pre>{@code
 * static boolean naive(Account from, Account to, long amount) {
 *     from.lock().lock();                // thread 1: A→B takes A ...    thread 2: B→A takes B ...
 *     try {
 *         to.lock().lock();              // ... and waits for B          ... and waits for A: forever
 *         try {
 *             if (!from.withdraw(amount)) return false;
 *             to.deposit(amount);
 *             return true;
 *         } finally { to.lock().unlock(); }
 *     } finally { from.lock().unlock(); }
 * }
 * }</pre>
 * Two threads moving money in opposite directions each hold one lock and wait for the other's: a lock-order
 * deadlock. Fix it twice, in the two classic ways.
 *
 * <p>The contract of both {@link #ordered} and {@link #withBackoff}, which the tests pin down:
 * <ul>
 *   <li>many threads moving money A→B and B→A at the same time never deadlock;
 *   <li>a transfer is atomic and money is conserved: while both balances change, nobody who takes the accounts'
 *       locks sees one changed and not the other (a model checker explores the interleavings);
 *   <li>a transfer the balance of {@code from} does not cover returns {@code false} and changes nothing;
 *   <li>{@code amount <= 0} and a transfer from an account to itself are {@link IllegalArgumentException}s that
 *       say what was wrong, and take no lock;
 *   <li>every lock taken is released on every way out.
 * </ul>
 * {@link #ordered} takes the two locks in one global order: the lower {@link Account#id()} first, whatever the
 * direction of the transfer. {@link #withBackoff} instead never waits for a lock without a time limit while it holds
 * the other: it tries each lock with {@code tryLock(lockTimeout)}; when one cannot be had in time it releases what it
 * holds, pauses for a random time between zero and {@code lockTimeout}, and starts over until the transfer is done.
 * A {@code lockTimeout} of zero means "take the lock only if it is free right now, and retry at once" (the model
 * checker uses it: its clock does not advance, so a timed wait would never end there); a negative one is an
 * {@link IllegalArgumentException}. An interrupt while it waits ends it with {@link InterruptedException}, holding no
 * lock and having changed nothing.
 *
 * <p>Baseline: the naive version above is kept in the test tree, where the model checker is shown to find its
 * deadlock every time. Run it under the stress test and the deadlock watchdog names the two threads and the locks.
 *
 * <p>Reference solution. {@link #ordered} sorts the pair by id, so every thread that needs locks A and B takes them
 * in the same order and no cycle of waiting threads can form. {@link #withBackoff} breaks another of the four
 * conditions for a deadlock, "hold and wait": a thread that cannot get the second lock in time gives the first one
 * back. The random pause keeps two retrying threads from colliding in lockstep again and again (a livelock).
 *
 * <p>Other ways: {@code System.identityHashCode} as the order needs a tie-breaking extra lock for the rare equal
 * hashes (Java Concurrency in Practice, 10.1.2), which is why a stable id is better. One global lock for the whole
 * bank cannot deadlock either, but lets only one transfer run at a time. Ordering needs to know every lock up
 * front; {@code tryLock} also works when locks are found one after another, at the price of retries under
 * contention.
 */
public final class Transfers {
    private Transfers() {
    }

    /** Moves {@code amount} from {@code from} to {@code to}, taking the two locks in increasing id order. */
    public static boolean ordered(Account from, Account to, long amount) {
        checkArguments(from, to, amount);
        Account first = from.id() < to.id() ? from : to;
        Account second = first == from ? to : from;
        first.lock().lock();
        try {
            second.lock().lock();
            try {
                return move(from, to, amount);
            } finally {
                second.lock().unlock();
            }
        } finally {
            first.lock().unlock();
        }
    }

    /**
     * Moves {@code amount} from {@code from} to {@code to}, taking each lock with {@code tryLock(lockTimeout)} and
     * backing off for a random time after a failed attempt.
     *
     * @throws InterruptedException if interrupted while waiting for a lock or backing off; nothing has changed then
     */
    public static boolean withBackoff(Account from, Account to, long amount, Duration lockTimeout)
            throws InterruptedException {
        checkArguments(from, to, amount);
        long timeout = lockTimeout.toNanos();
        if (timeout < 0) {
            throw new IllegalArgumentException("lockTimeout must not be negative, was " + lockTimeout);
        }
        while (true) {
            if (from.lock().tryLock(timeout, TimeUnit.NANOSECONDS)) {
                try {
                    if (to.lock().tryLock(timeout, TimeUnit.NANOSECONDS)) {
                        try {
                            return move(from, to, amount);
                        } finally {
                            to.lock().unlock();
                        }
                    }
                } finally {
                    from.lock().unlock();
                }
            }
            // Holding nothing now: back off for a random time so that two threads do not retry in lockstep.
            long pause = ThreadLocalRandom.current().nextLong(timeout + 1);
            if (pause > 0) {
                TimeUnit.NANOSECONDS.sleep(pause);
            }
        }
    }

    private static void checkArguments(Account from, Account to, long amount) {
        if (amount <= 0) {
            throw new IllegalArgumentException("amount must be positive, was " + amount);
        }
        if (from == to || from.id() == to.id()) {
            throw new IllegalArgumentException("from and to are the same account: " + from);
        }
    }

    /** The transfer itself; the caller holds both accounts' locks. */
    private static boolean move(Account from, Account to, long amount) {
        if (!from.withdraw(amount)) {
            return false;
        }
        to.deposit(amount);
        return true;
    }
}
