package parlab.stage2.prodcons;

/**
 * What the producers and consumers do with the items. Plumbing: the same on both sides; tests supply their own to
 * count, slow down or fail.
 */
public interface Work {
    /** Called on a producer thread for each of its items, in sequence order; may throw. */
    Item produce(int producer, int sequence);

    /** Called on a consumer thread, once per item taken off the queue. */
    void consume(Item item);
}
