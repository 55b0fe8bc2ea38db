package parlab.stage2.prodcons;

/**
 * One unit of work: the {@code sequence}-th item of producer {@code producer}. Plumbing: the same on both sides.
 *
 * @param payload whatever the producer computed; the accounting only looks at {@link #id()}
 */
public record Item(int producer, int sequence, long payload) {
    /** Unique across the whole run: the producer in the high 32 bits, the sequence in the low 32. */
    public long id() {
        return ((long) producer << 32) | (sequence & 0xffffffffL);
    }
}
