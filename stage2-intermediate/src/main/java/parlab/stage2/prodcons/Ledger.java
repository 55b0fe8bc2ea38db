package parlab.stage2.prodcons;

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
 */
public final class Ledger {
    /**
     * @param produced ids accepted by {@link #produced}
     * @param consumed ids accepted by {@link #consumed}
     * @param rejected calls of either method that returned false
     */
    public record Counts(long produced, long consumed, long rejected) {
    }

    // TODO: the state of each id seen so far, and the three counts, guarded so that every method is atomic

    /** Records that {@code id} was produced; false if it had been produced before. */
    public boolean produced(long id) {
        // TODO: accept a new id, refuse (and count) a known one
        throw new UnsupportedOperationException("TODO: produced");
    }

    /** Records that {@code id} was consumed; false if it was never produced or had been consumed before. */
    public boolean consumed(long id) {
        // TODO: accept a produced id once, refuse (and count) anything else; the check and the update are one step
        throw new UnsupportedOperationException("TODO: consumed");
    }

    /** The three counts, read together: a snapshot no other call can change halfway through. */
    public Counts counts() {
        // TODO: the counts as they are between two calls, never in the middle of one
        throw new UnsupportedOperationException("TODO: counts");
    }
}
