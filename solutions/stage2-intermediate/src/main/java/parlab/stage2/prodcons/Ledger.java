package parlab.stage2.prodcons;

import java.util.HashMap;
import java.util.Map;

/**
 * The accounting core: which item ids were produced and which were consumed, so that a run can prove that every
 * produced item was consumed exactly once. Producers and consumers call it from many threads at once.
 *
 * <p>The contract, which a model checker verifies by running the operations from two threads in every
 * interleaving it can think of: every method behaves as if the calls happened one at a time in some order
 * consistent with each thread's order (linearizability):
 * <ul>
 *   <li>{@link #produced(long)} is true the first time an id is produced, false (and one more rejection) after;
 *   <li>{@link #consumed(long)} is true the first time a produced id is consumed, false (and one more rejection) for
 *       an id consumed before or never produced;
 *   <li>{@link #counts()} is the number of accepted and refused calls so far, all three from the same moment.
 * </ul>
 * Two threads consuming the same id at the same time: exactly one of them gets {@code true}.
 *
 * <p>Reference solution: one lock (this object's monitor) guards the map and the counts, so each method's check
 * and update happen as one step, and a count is never read half-updated. The critical sections are a map lookup
 * and an increment: short enough that the lock costs little next to the queue.
 *
 * <p>Other ways: {@code ConcurrentHashMap.compute} makes the per-id check-and-update atomic without a global lock,
 * with {@code AtomicLong}s for the counts, but then {@code counts()} is no longer one snapshot (a reader can see
 * {@code consumed} counted and {@code produced} not yet);
 * {@code newKeySet().add(id)}'s return value answers "was it new?" atomically for {@code produced}, but
 * {@code consumed} needs "produced and not yet consumed" in one step, which a second set cannot give.
 */
public final class Ledger {
    /**
     * @param produced ids accepted by {@link #produced}
     * @param consumed ids accepted by {@link #consumed}
     * @param rejected calls of either method that returned false
     */
    public record Counts(long produced, long consumed, long rejected) {
    }

    private final Map<Long, Boolean> consumedById = new HashMap<>(); // guarded by this; false = produced only
    private long produced;                                           // guarded by this
    private long consumed;                                           // guarded by this
    private long rejected;                                           // guarded by this

    /** Records that {@code id} was produced; false if it had been produced before. */
    public synchronized boolean produced(long id) {
        if (consumedById.putIfAbsent(id, Boolean.FALSE) != null) {
            rejected++;
            return false;
        }
        produced++;
        return true;
    }

    /** Records that {@code id} was consumed; false if it was never produced or had been consumed before. */
    public synchronized boolean consumed(long id) {
        if (!Boolean.FALSE.equals(consumedById.get(id))) { // never produced (null) or consumed already (true)
            rejected++;
            return false;
        }
        consumedById.put(id, Boolean.TRUE);
        consumed++;
        return true;
    }

    /** The three counts, read together: a snapshot no other call can change halfway through. */
    public synchronized Counts counts() {
        return new Counts(produced, consumed, rejected);
    }
}
