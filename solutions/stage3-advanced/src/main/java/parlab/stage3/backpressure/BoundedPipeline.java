package parlab.stage3.backpressure;

import java.util.Iterator;
import java.util.Objects;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.function.ToLongFunction;

/**
 * s3e03 · Backpressure, part 1: a pipeline that cannot run away from its consumers.
 *
 * <p>A producer that is faster than its consumers fills whatever sits between them. With an unbounded queue that is
 * the heap: a log shipper reading a 10 GB file, a crawler finding links faster than it fetches them, a service
 * accepting requests faster than it answers them, all end in an {@code OutOfMemoryError}, or first in a long GC
 * death spiral. <em>Backpressure</em> is the slow side's way of saying "not so fast": the producer waits until
 * there is room.
 *
 * <p>A bounded queue is the first answer, and not quite the right one: it bounds the items <em>waiting</em>, not
 * the items in flight. Items in the workers' hands, or held by the producer while it waits for a slot, are on top
 * of the queue's capacity. And items are not all the same size: a thousand 1 KB messages are fine, a thousand 100 MB
 * images are not. This pipeline keeps a <em>budget</em> of items and bytes: an item takes its share when it is
 * admitted and gives it back when the sink is done with it, success or failure.
 *
 * <p>The contract of {@link #run}, which the tests pin down:
 * <ul>
 *   <li>the calling thread is the producer: it takes items from {@code source}, one at a time; exactly
 *       {@code limits.workers()} threads, made by {@code factory}, hand them to {@code sink}; each item reaches the
 *       sink once, and {@code run} returns how many did;
 *   <li>an item is <em>in flight</em> from the moment it is taken from the source until the sink has returned (or
 *       thrown) for it; whenever the producer asks the source for another item, at most {@code limits.maxItems()}
 *       items, weighing at most {@code limits.maxBytes()} bytes in all ({@code weigher} says what one weighs), are in
 *       flight: the producer waits for room before it goes on;
 *   <li>but it does wait only for room: with a stalled sink the producer still runs ahead until the budget is full;
 *   <li>an item heavier than {@code limits.maxBytes()} could never be admitted: {@code run} throws an
 *       {@link IllegalArgumentException} that gives its weight and the limit;
 *   <li>if the sink throws, the producer stops taking items and {@code run} throws that exception (the same object);
 *       if the calling thread is interrupted, {@code run} throws {@link InterruptedException}. Either way, and on
 *       success, every worker has ended when {@code run} returns or throws.
 * </ul>
 *
 * <p>Baseline experiment: {@code ./lab bench backpressure} runs 100,000 items through a slow-ish sink with
 * {@link Limits#unbounded}, and with budgets of 1024 and 16 items. Is the unbounded pipeline faster? Watch the GC
 * columns too.
 *
 * <p>Reference solution. The producer takes an item, weighs it, and waits in {@link Budget#admit} until both the
 * item and its bytes fit; only then does the item go on the queue. The queue itself is unbounded: the budget is the
 * bound, and it counts the items in the workers' hands too. A worker gives the item's share back in a
 * {@code finally}, so a failing sink cannot leak budget and leave the producer asleep. After the first failure the
 * workers keep draining the queue without calling the sink (giving the budget back, so that a producer waiting for
 * room wakes up, sees the failure and stops); one end-of-stream marker per worker, put on every way out, ends them.
 *
 * <p>Other ways: two {@link java.util.concurrent.Semaphore}s, one for items and one for bytes, taken in that order
 * (safe here because there is only one producer; two producers taking two semaphores piecemeal can each hold half of
 * what they need). Or pull instead of push: the consumers ask for work, as {@link BatchSubscriber} does.
 */
public final class BoundedPipeline {
    private BoundedPipeline() {
    }

    /** An admitted item and the weight it holds in the budget. */
    private record Admitted<T>(T item, long weight) {
    }

    /** Marks the end of the stream for one worker; compared with ==. */
    private static final Admitted<Object> END = new Admitted<>(null, 0);

    /**
     * The in-flight budget. {@code lock} guards {@code items} and {@code bytes}; {@code room} is signalled whenever
     * they go down. Only the producer ever waits.
     */
    private static final class Budget {
        private final int maxItems;
        private final long maxBytes;
        private final ReentrantLock lock = new ReentrantLock();
        private final Condition room = lock.newCondition();
        private int items;
        private long bytes;

        Budget(int maxItems, long maxBytes) {
            this.maxItems = maxItems;
            this.maxBytes = maxBytes;
        }

        void admit(long weight) throws InterruptedException {
            lock.lock();
            try {
                while (items >= maxItems || weight > maxBytes - bytes) { // no overflow near Long.MAX_VALUE
                    room.await();
                }
                items++;
                bytes += weight;
            } finally {
                lock.unlock();
            }
        }

        void release(long weight) {
            lock.lock();
            try {
                items--;
                bytes -= weight;
                room.signalAll();
            } finally {
                lock.unlock();
            }
        }
    }

    /**
     * Runs every item of {@code source} through {@code sink} on {@code limits.workers()} threads, with at most
     * {@code limits.maxItems()} items and {@code limits.maxBytes()} bytes in flight.
     *
     * @return the number of items the sink received
     * @throws InterruptedException if the calling thread is interrupted; every worker has ended by then
     */
    public static <T> long run(Iterator<? extends T> source, ToLongFunction<? super T> weigher,
            Consumer<? super T> sink, Limits limits, ThreadFactory factory) throws InterruptedException {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(weigher, "weigher");
        Objects.requireNonNull(sink, "sink");
        Budget budget = new Budget(limits.maxItems(), limits.maxBytes());
        BlockingQueue<Admitted<?>> queue = new LinkedBlockingQueue<>(); // bounded by the budget, not by capacity
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread[] workers = new Thread[limits.workers()];
        for (int w = 0; w < workers.length; w++) {
            workers[w] = factory.newThread(() -> drain(queue, sink, budget, failure));
        }
        for (Thread worker : workers) {
            worker.start();
        }
        long admitted = 0;
        try {
            while (failure.get() == null && source.hasNext()) {
                T item = source.next();
                long weight = weigher.applyAsLong(item);
                if (weight < 0 || weight > limits.maxBytes()) {
                    throw new IllegalArgumentException("an item weighs " + weight + " bytes, but maxBytes is "
                            + limits.maxBytes() + ": it could never be admitted");
                }
                budget.admit(weight);
                queue.add(new Admitted<>(item, weight));
                admitted++;
            }
        } catch (Throwable producerFailure) {
            failure.compareAndSet(null, producerFailure);
        } finally {
            for (Thread ignored : workers) {
                queue.add(END); // the queue is unbounded: this never blocks
            }
            if (failure.get() instanceof InterruptedException) {
                for (Thread worker : workers) {
                    worker.interrupt();
                }
            }
            joinAll(workers);
        }
        Throwable first = failure.get();
        if (first == null) {
            return admitted;
        }
        if (first instanceof InterruptedException interrupted) {
            throw interrupted;
        }
        if (first instanceof RuntimeException unchecked) {
            throw unchecked;
        }
        if (first instanceof Error error) {
            throw error;
        }
        throw new IllegalStateException("the pipeline failed", first);
    }

    /** A worker: hands admitted items to the sink until END; after a failure only gives their budget back. */
    @SuppressWarnings("unchecked")
    private static <T> void drain(BlockingQueue<Admitted<?>> queue, Consumer<? super T> sink, Budget budget,
            AtomicReference<Throwable> failure) {
        try {
            for (Admitted<?> next = queue.take(); next != END; next = queue.take()) {
                try {
                    if (failure.get() == null) {
                        sink.accept((T) next.item());
                    }
                } catch (Throwable sinkFailure) {
                    failure.compareAndSet(null, sinkFailure); // set before the release below wakes the producer
                } finally {
                    budget.release(next.weight());
                }
            }
        } catch (InterruptedException e) {
            failure.compareAndSet(null, e); // run was interrupted and passed it on: end now
        }
    }

    /** Joins every thread even when interrupted, so that none outlives the call; re-asserts the interrupt. */
    private static void joinAll(Thread[] threads) {
        boolean interrupted = false;
        for (Thread thread : threads) {
            while (true) {
                try {
                    thread.join();
                    break;
                } catch (InterruptedException e) {
                    interrupted = true;
                    for (Thread t : threads) {
                        t.interrupt();
                    }
                }
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}
