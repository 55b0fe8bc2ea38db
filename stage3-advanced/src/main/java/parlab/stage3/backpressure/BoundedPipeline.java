package parlab.stage3.backpressure;

import java.util.Iterator;
import java.util.concurrent.ThreadFactory;
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
 * <p>Things to think about: when does an item give its share of the budget back, and what if the sink throws? The
 * producer may be asleep waiting for room when a worker fails: who wakes it, and what does it do then?
 */
public final class BoundedPipeline {
    private BoundedPipeline() {
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
        // TODO: a budget of limits.maxItems() items and limits.maxBytes() bytes, taken on admission, given back
        //       when the sink is done with the item (success or failure)
        // TODO: start limits.workers() workers with factory: take an admitted item, give it to the sink
        // TODO: on this thread: take an item, weigh it (too heavy? reject it), wait for room, hand it to the workers
        // TODO: stop taking items once the sink has failed; stop the workers and wait for them on every way out
        throw new UnsupportedOperationException("TODO: run");
    }
}
