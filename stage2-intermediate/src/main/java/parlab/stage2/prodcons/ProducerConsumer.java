package parlab.stage2.prodcons;

import java.util.concurrent.ThreadFactory;

/**
 * s2e10 · Producer–consumer system.
 *
 * <p>{@code M} producers make items, {@code N} consumers handle them, and one bounded queue sits between them. It is
 * the shape of most servers (acceptors and workers), of log shippers and of every work queue. Two questions make it
 * hard. When is it over? A consumer cannot stop at an empty queue, since a producer may just be slow; it needs to
 * learn that <em>every</em> producer is done. And what if a producer fails halfway? The others should finish, the
 * consumers should still end, and the failure must be reported rather than lost with its thread.
 *
 * <p>To prove that nothing was lost or doubled, the run keeps a {@link Ledger}: producers record each item's id
 * after producing it and before putting it on the queue, consumers record it after taking it off. Many threads
 * write the ledger at once, so it is the piece of shared mutable state that must be thread-safe; write it first.
 *
 * <p>The contract of {@link #run}, which the tests pin down:
 * <ul>
 *   <li>producer {@code p} calls {@code work.produce(p, s)} for {@code s = 0, 1, ... itemsPerProducer - 1} in order
 *       and puts each item on one queue of at most {@code capacity} items; each item is given to
 *       {@code work.consume} exactly once: none lost, none twice, none invented;
 *   <li>it uses exactly {@code producers + consumers} threads, all made by the given {@link ThreadFactory}; a
 *       producer thread only produces, a consumer thread only consumes;
 *   <li>the run ends when every producer is done, with every thread ended, whatever the numbers of producers and
 *       consumers (more consumers than items included);
 *   <li>if {@code produce} throws, that producer stops, the other producers finish their items, every item put on
 *       the queue is still consumed, and the exception (the same object) is in the report's
 *       {@code producerFailures}; the run still ends;
 *   <li>the report's counts are the ledger's: {@code produced == consumed}, nothing rejected.
 * </ul>
 * {@code consume} never throws in this exercise (s2e08 handles a failing downstream stage).
 *
 * <p>Baseline experiment: {@code ./lab bench producer-consumer} moves items from one producer to one consumer
 * through {@code ArrayBlockingQueue}, {@code LinkedBlockingQueue}, {@code LinkedTransferQueue} and a single-producer
 * single-consumer ring buffer, to show what the queue itself costs.
 *
 * <p>Things to think about: how many poison pills, put by whom, and when? What happens to the consumers if a pill is
 * only sent by a producer that finishes normally? In the ledger, "was it produced and not yet consumed? then mark it
 * consumed" is a check followed by an act: what makes the two one step?
 */
public final class ProducerConsumer {
    /** End of stream; compared with ==, so no real item can be mistaken for it. */
    private static final Item END = new Item(-1, -1, 0);

    private ProducerConsumer() {
    }

    /** How many producers and consumers, how many items each producer makes, and the queue's capacity. */
    public record Config(int producers, int consumers, int itemsPerProducer, int capacity) {
        public Config {
            if (producers < 1 || consumers < 1) {
                throw new IllegalArgumentException("need at least 1 producer and 1 consumer, was " + producers
                        + " and " + consumers);
            }
            if (itemsPerProducer < 0) {
                throw new IllegalArgumentException("itemsPerProducer must not be negative, was " + itemsPerProducer);
            }
            if (capacity < 1) {
                throw new IllegalArgumentException("capacity must be at least 1, was " + capacity);
            }
        }
    }

    /**
     * Runs {@code config.producers()} producers and {@code config.consumers()} consumers, made by {@code factory},
     * over one bounded queue, and reports the ledger's counts and the producers' failures once all have ended.
     *
     * @throws InterruptedException if the calling thread is interrupted; every thread has been stopped by then
     */
    public static Report run(Config config, Work work, ThreadFactory factory) throws InterruptedException {
        // TODO: one queue of at most config.capacity() items, and one Ledger for the run
        // TODO: producer threads: produce their items in order, record each in the ledger, put it on the queue
        // TODO: a producer whose produce() throws stops, and its exception must reach the report
        // TODO: consumer threads: take, record in the ledger, consume, until told that no more items will come
        // TODO: once every producer is done (normally or not), tell every consumer; wait for all the threads
        throw new UnsupportedOperationException("TODO: run");
    }
}
