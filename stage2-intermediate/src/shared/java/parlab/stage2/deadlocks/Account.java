package parlab.stage2.deadlocks;

import java.util.concurrent.locks.ReentrantLock;

/**
 * A bank account guarded by its own lock. Plumbing for s2e02: identical in the skeleton and the reference.
 *
 * <p>{@link #id()} is stable and unique within a bank: it is the global order in which locks are taken. The balance
 * is guarded by {@link #lock()}; {@link #withdraw} and {@link #deposit} refuse to run unless the calling thread holds
 * that lock, so a transfer that forgets a lock fails at once with an {@link IllegalStateException}.
 */
public final class Account {
    private final int id;
    private final ReentrantLock lock = new ReentrantLock();
    private long balance; // guarded by lock

    public Account(int id, long initialBalance) {
        if (initialBalance < 0) {
            throw new IllegalArgumentException("initial balance must not be negative, was " + initialBalance);
        }
        this.id = id;
        this.balance = initialBalance;
    }

    /** The account's stable, unique number: the order in which account locks are taken. */
    public int id() {
        return id;
    }

    /** The lock that guards this account's balance. */
    public ReentrantLock lock() {
        return lock;
    }

    /** The balance right now; takes this account's lock for the read. */
    public long balance() {
        lock.lock();
        try {
            return balance;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Takes {@code amount} out of the account if the balance covers it; the caller must hold {@link #lock()}.
     *
     * @return false (and nothing changes) if the balance is smaller than {@code amount}
     */
    public boolean withdraw(long amount) {
        requireLocked("withdraw from");
        if (balance < amount) {
            return false;
        }
        balance -= amount;
        return true;
    }

    /** Adds {@code amount} to the account; the caller must hold {@link #lock()}. */
    public void deposit(long amount) {
        requireLocked("deposit to");
        balance += amount;
    }

    private void requireLocked(String what) {
        if (!lock.isHeldByCurrentThread()) {
            throw new IllegalStateException("tried to " + what + " account " + id + " without holding its lock");
        }
    }

    @Override
    public String toString() {
        return "Account " + id;
    }
}
