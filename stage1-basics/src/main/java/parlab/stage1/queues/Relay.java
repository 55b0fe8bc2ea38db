package parlab.stage1.queues;

import java.util.Iterator;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ThreadFactory;
import java.util.function.Consumer;

/**
 * s1e04 · Reading and writing queues.
 *
 * <p>Two threads, one queue between them: a <em>producer</em> reads items from a source (the lines of a file, the
 * messages of a socket) and puts them on a bounded {@link BlockingQueue}; a <em>consumer</em> takes them off and
 * writes them to a sink. The queue decouples their speeds, and its capacity is back-pressure: when the consumer is
 * slow, {@code put} blocks the producer instead of letting unread items pile up in memory.
 *
 * <p>How does the consumer know that no more items will come? The producer puts a <em>poison pill</em> after the
 * last item: a marker that cannot be mistaken for data. The consumer stops when it takes the pill.
 *
 * <p>The contract of {@link #relay}, which the tests pin down:
 * <ul>
 *   <li>every item of the source reaches the sink exactly once, in the source's order, and {@code relay} returns
 *       how many there were; the pill never reaches the sink, whatever the items look like;
 *   <li>it uses exactly two threads, both made by the given {@link ThreadFactory}: the producer alone calls the
 *       source, the consumer alone calls the sink; both have ended when {@code relay} returns or throws;
 *   <li>the queue never holds more than {@code capacity} items: a producer that runs ahead of a stuck consumer
 *       blocks;
 *   <li>if the sink throws, the producer stops (even when it is blocked on a full queue, or the source never ends)
 *       and the caller gets the sink's exception;
 *   <li>if the source throws, the items read before are still delivered, the consumer ends, and the caller gets the
 *       source's exception;
 *   <li>{@code capacity < 1} is an {@link IllegalArgumentException} that says so.
 * </ul>
 *
 * <p>Baseline experiment: without threads the relay is one loop, {@code while (source.hasNext())
 * sink.accept(source.next());}. Everything this exercise adds is about two threads agreeing on when to stop.
 *
 * <p>Things to think about: which value can serve as the pill when the items can be anything, even an empty
 * string or {@code -1}? The consumer dies with the queue full: what is the producer doing now, and who can wake it
 * up? The source fails halfway: what is the consumer waiting for? (Both are the classic "stuck queue".) And if
 * the source itself blocks and ignores interrupts (a socket read), what would it take to stop the producer?
 */
public final class Relay {
    /** The poison pill: put after the last item; no caller can hand in this object as an item. */
    private static final Object POISON = new Object();

    private Relay() {
    }

    /**
     * Moves every item of {@code source} to {@code sink} through a queue of {@code capacity} items, with a producer
     * and a consumer thread made by {@code factory}.
     *
     * @return the number of items delivered
     * @throws InterruptedException if the calling thread is interrupted; both threads have been stopped by then
     */
    public static <T> long relay(Iterator<? extends T> source, Consumer<? super T> sink, int capacity,
            ThreadFactory factory) throws InterruptedException {
        // TODO: validate capacity, and make a queue that never holds more than capacity items
        // TODO: producer thread: put every item of the source on the queue, then POISON (also when the source fails)
        // TODO: consumer thread: take items and pass them to the sink until it takes POISON
        // TODO: wait for both; when the consumer failed, make sure the producer cannot stay blocked on a full queue
        // TODO: once both have ended, rethrow the failure (the consumer's first) or return the number delivered
        throw new UnsupportedOperationException("TODO: relay");
    }
}
