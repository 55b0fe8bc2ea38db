package parlab.stage1.queues;

import java.util.Iterator;
import java.util.Objects;
import java.util.concurrent.ArrayBlockingQueue;
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
 * <p>Reference solution. The pill is a private {@code Object} that no caller can produce, so the queue carries
 * {@code Object}s and the consumer casts what is not the pill. The producer puts the pill after the last item even
 * when the source failed, so the consumer still ends. A failing consumer cannot take the pill, so the caller, which
 * joins the consumer first, interrupts the producer: {@code put} on a full queue answers an interrupt with
 * {@link InterruptedException}, and the producer ends without a pill. (Not in a {@code finally}: the exception
 * clears the interrupt, so a second {@code put} of the pill would block on the full queue again, for good.) Each
 * thread writes only its own fields, which the caller reads after {@code join()} (a happens-before edge).
 *
 * <p>Other ways: the producer can {@code offer} with a timeout in a loop and check a "consumer gone" flag, which
 * also covers a source that ignores interrupts, at the price of a polling delay; {@code queue.clear()} by the dying
 * consumer unblocks the producer only once, so on its own it is not enough. A typed message
 * ({@code sealed interface Message<T> permits Item, End}) avoids the cast and carries a failure as well as an end.
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
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be at least 1, was " + capacity);
        }
        BlockingQueue<Object> queue = new ArrayBlockingQueue<>(capacity);
        ProducerTask<T> producer = new ProducerTask<>(source, queue);
        ConsumerTask<T> consumer = new ConsumerTask<>(sink, queue);
        Thread producerThread = factory.newThread(producer);
        Thread consumerThread = factory.newThread(consumer);
        producerThread.start();
        consumerThread.start();

        boolean interrupted = false;
        try {
            consumerThread.join();
        } catch (InterruptedException e) {
            interrupted = true;
            consumerThread.interrupt();
            joinUninterruptibly(consumerThread);
        }
        if (interrupted || consumer.failure != null) {
            producerThread.interrupt(); // it may be blocked on a full queue that nobody will ever take from again
        }
        interrupted |= joinUninterruptibly(producerThread);
        if (interrupted) {
            throw new InterruptedException("relay interrupted; producer and consumer have been stopped");
        }
        if (consumer.failure != null) {
            throw rethrow(consumer.failure);
        }
        if (producer.failure != null) {
            throw rethrow(producer.failure);
        }
        return consumer.delivered;
    }

    /** Reads the source into the queue, then the pill. Its fields are read by the caller after join. */
    private static final class ProducerTask<T> implements Runnable {
        private final Iterator<? extends T> source;
        private final BlockingQueue<Object> queue;
        private Throwable failure;

        ProducerTask(Iterator<? extends T> source, BlockingQueue<Object> queue) {
            this.source = source;
            this.queue = queue;
        }

        @Override
        public void run() {
            try {
                while (source.hasNext()) {
                    queue.put(Objects.requireNonNull(source.next(), "the source returned null"));
                }
            } catch (InterruptedException e) {
                failure = e; // the caller stopped us because the consumer is gone: no pill, nobody would take it
                return;
            } catch (Throwable t) {
                failure = t; // and still put the pill: the consumer delivers what came before, then ends
            }
            try {
                queue.put(POISON);
            } catch (InterruptedException e) {
                if (failure == null) {
                    failure = e;
                }
            }
        }
    }

    /** Takes items off the queue into the sink until the pill. Its fields are read by the caller after join. */
    private static final class ConsumerTask<T> implements Runnable {
        private final Consumer<? super T> sink;
        private final BlockingQueue<Object> queue;
        private long delivered;
        private Throwable failure;

        ConsumerTask(Consumer<? super T> sink, BlockingQueue<Object> queue) {
            this.sink = sink;
            this.queue = queue;
        }

        @Override
        public void run() {
            try {
                for (Object item = queue.take(); item != POISON; item = queue.take()) {
                    @SuppressWarnings("unchecked") // only the producer puts, and it puts Ts and the pill
                    T value = (T) item;
                    sink.accept(value);
                    delivered++;
                }
            } catch (Throwable t) {
                failure = t;
            }
        }
    }

    /** Joins even when interrupted, so that the thread never outlives the call; tells whether we were interrupted. */
    private static boolean joinUninterruptibly(Thread thread) {
        boolean interrupted = false;
        while (true) {
            try {
                thread.join();
                return interrupted;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
    }

    private static RuntimeException rethrow(Throwable failure) {
        if (failure instanceof RuntimeException unchecked) {
            return unchecked;
        }
        if (failure instanceof Error error) {
            throw error;
        }
        return new IllegalStateException("relay failed", failure);
    }
}
