package parlab.stage2.deadlocks;

import java.time.Duration;

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
 * <p>Things to think about: why does taking the locks in one order make a cycle of waiting threads impossible?
 * Why a stable id and not {@code System.identityHashCode} (two objects can have the same one)? In the back-off
 * version, what happens if two threads retry immediately instead of after a random pause?
 */
public final class Transfers {
    private Transfers() {
    }

    /** Moves {@code amount} from {@code from} to {@code to}, taking the two locks in increasing id order. */
    public static boolean ordered(Account from, Account to, long amount) {
        // TODO: reject a non-positive amount and a transfer to the same account
        // TODO: take the lock of the account with the lower id first, then the other one
        // TODO: move the money (withdraw, then deposit) and release both locks on every way out
        throw new UnsupportedOperationException("TODO: ordered");
    }

    /**
     * Moves {@code amount} from {@code from} to {@code to}, taking each lock with {@code tryLock(lockTimeout)} and
     * backing off for a random time after a failed attempt.
     *
     * @throws InterruptedException if interrupted while waiting for a lock or backing off; nothing has changed then
     */
    public static boolean withBackoff(Account from, Account to, long amount, Duration lockTimeout)
            throws InterruptedException {
        // TODO: reject a non-positive amount, a negative lockTimeout and a transfer to the same account
        // TODO: try both locks with a time limit; move the money only while holding both
        // TODO: after a failed attempt, release what you hold, pause for a random time, and try again
        throw new UnsupportedOperationException("TODO: withBackoff");
    }
}
