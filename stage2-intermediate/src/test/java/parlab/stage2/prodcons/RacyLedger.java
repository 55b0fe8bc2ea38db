package parlab.stage2.prodcons;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Known broken, the checker's canary: thread-safe sets whose {@code add} answers "was it new?" atomically, but the
 * counts are plain fields, and {@code count++} is a read and a write: two threads can both read 0 and both write 1.
 * (The subtler of the two classic ledger bugs; a check-then-act on the sets is found faster.)
 */
final class RacyLedger {
    private final Set<Long> produced = ConcurrentHashMap.newKeySet();
    private final Set<Long> consumed = ConcurrentHashMap.newKeySet();
    private long producedCount;
    private long consumedCount;
    private long rejectedCount;

    boolean produced(long id) {
        if (!produced.add(id)) {
            rejectedCount++;
            return false;
        }
        producedCount++;
        return true;
    }

    boolean consumed(long id) {
        if (produced.contains(id) && consumed.add(id)) {
            consumedCount++;
            return true;
        }
        rejectedCount++;
        return false;
    }

    Ledger.Counts counts() {
        return new Ledger.Counts(producedCount, consumedCount, rejectedCount);
    }
}
