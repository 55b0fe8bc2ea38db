package parlab.stage2.prodcons;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
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
 *
 * <p>Reference solution. All threads are made, then started. Each producer keeps its failure in a slot of its own,
 * which the caller reads after {@code join()}. The caller itself is the coordinator: it joins every producer (a
 * failed one has simply ended), then puts one pill per consumer (a private object compared with {@code ==}) and
 * joins the consumers. Pills are sent whatever way the producers ended, so a failure cannot strand a consumer. If the
 * caller is interrupted, it interrupts every thread, waits for them, and rethrows.
 *
 * <p>Other ways: the last producer out can send the pills (an {@code AtomicInteger} of producers still running,
 * decremented in a {@code finally}), which frees the caller; consumers can instead poll with a timeout and stop
 * when a "producers done" counter reaches zero and the queue is empty, which needs no pill but wakes up for nothing;
 * a {@code Phaser} registered by each producer expresses the same count. For one producer and one consumer, a
 * lock-free ring buffer beats every {@code BlockingQueue} (see the benchmark), at the price of spinning when
 * empty or full.
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
        BlockingQueue<Item> queue = new ArrayBlockingQueue<>(config.capacity());
        Ledger ledger = new Ledger();
        Throwable[] failures = new Throwable[config.producers()]; // slot p written by producer p, read after join
        List<Thread> producers = new ArrayList<>(config.producers());
        List<Thread> consumers = new ArrayList<>(config.consumers());
        for (int p = 0; p < config.producers(); p++) {
            int producer = p;
            producers.add(factory.newThread(() -> {
                try {
                    for (int s = 0; s < config.itemsPerProducer(); s++) {
                        Item item = work.produce(producer, s);
                        ledger.produced(item.id());
                        queue.put(item);
                    }
                } catch (InterruptedException stopped) {
                    // the caller was interrupted and stops the run: just end
                } catch (Throwable t) {
                    failures[producer] = t;
                }
            }));
        }
        for (int c = 0; c < config.consumers(); c++) {
            consumers.add(factory.newThread(() -> {
                try {
                    for (Item item = queue.take(); item != END; item = queue.take()) {
                        ledger.consumed(item.id());
                        work.consume(item);
                    }
                } catch (InterruptedException stopped) {
                    // the caller was interrupted and stops the run: just end
                }
            }));
        }
        List<Thread> all = new ArrayList<>(producers);
        all.addAll(consumers);
        all.forEach(Thread::start);
        try {
            for (Thread producer : producers) {
                producer.join();
            }
            for (int c = 0; c < config.consumers(); c++) {
                queue.put(END); // every producer is done, normally or not: one pill per consumer
            }
            for (Thread consumer : consumers) {
                consumer.join();
            }
        } catch (InterruptedException e) {
            all.forEach(Thread::interrupt);
            joinUninterruptibly(all);
            throw e;
        }
        List<Throwable> failed = new ArrayList<>();
        for (Throwable failure : failures) {
            if (failure != null) {
                failed.add(failure);
            }
        }
        Ledger.Counts counts = ledger.counts();
        return new Report(counts.produced(), counts.consumed(), counts.rejected(), failed);
    }

    private static void joinUninterruptibly(List<Thread> threads) {
        boolean interrupted = false;
        for (Thread thread : threads) {
            while (true) {
                try {
                    thread.join();
                    break;
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}
