package parlab.stage2.deadlocks;

/**
 * Known broken, kept as the checker's canary: the naive transfer from the statement, which takes {@code from}'s lock
 * and then {@code to}'s. Two opposite transfers can each hold one lock and wait for the other forever.
 */
final class NaiveTransfers {
    private NaiveTransfers() {
    }

    static boolean transfer(Account from, Account to, long amount) {
        from.lock().lock();
        try {
            to.lock().lock();
            try {
                if (!from.withdraw(amount)) {
                    return false;
                }
                to.deposit(amount);
                return true;
            } finally {
                to.lock().unlock();
            }
        } finally {
            from.lock().unlock();
        }
    }
}
