// Backpressure — run with: jshell notes/backpressure.jsh
import java.util.SplittableRandom;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Flow;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.SubmissionPublisher;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

void check(boolean ok, String message) { if (!ok) throw new AssertionError(message); }

// A little work per item, so that the consumer is slower than the producer.
long work(long x) { for (int i = 0; i < 100; i++) x = x * 6364136223846793005L + 1; return x; }

// 1. A queue between a fast producer and a slow consumer. The producer measures its lead (items produced and not yet
//    consumed) after each put. Bounded: put() blocks when the queue is full, so the lead stays at capacity + 1 (the
//    item in the consumer's hands). Unbounded: nothing stops the producer.
long maxLead(BlockingQueue<Long> queue, int items) throws InterruptedException {
    var consumed = new AtomicLong();
    Thread consumer = Thread.ofPlatform().start(() -> {
        try {
            for (int i = 0; i < items; i++) { work(queue.take()); consumed.incrementAndGet(); }
        } catch (InterruptedException e) { Thread.currentThread().interrupt(); }
    });
    long maxLead = 0;
    for (long i = 0; i < items; i++) {
        queue.put(i);
        maxLead = Math.max(maxLead, i + 1 - consumed.get());
    }
    consumer.join();
    check(consumed.get() == items, "every item consumed");
    return maxLead;
}

void boundedQueue() throws InterruptedException {
    int items = 50_000, capacity = 64;
    long bounded = maxLead(new ArrayBlockingQueue<>(capacity), items);
    check(bounded <= capacity + 1, "with a bounded queue the producer is never more than capacity + 1 ahead: " + bounded);
    long unbounded = maxLead(new LinkedBlockingQueue<>(), items);
    System.out.printf("queue: producer at most %,d items ahead with capacity %d; %,d ahead with an unbounded queue%n",
            bounded, capacity, unbounded);
}

// 2. Reactive Streams in the JDK: java.util.concurrent.Flow. The subscriber says how much it can take with
//    request(n); the publisher may never send more than was requested. SubmissionPublisher keeps a bounded buffer per
//    subscriber and makes submit() block when it is full: backpressure reaches the producer.
class Batched implements Flow.Subscriber<Integer> {
    final int batch;
    Flow.Subscription subscription;
    long requested, received, sum;
    final AtomicLong delivered = new AtomicLong();           // read by the producer, hence atomic
    int next;
    boolean overDelivered, outOfOrder;
    final CountDownLatch done = new CountDownLatch(1);
    Batched(int batch) { this.batch = batch; }
    public void onSubscribe(Flow.Subscription s) { subscription = s; requested = batch; s.request(batch); }
    public void onNext(Integer item) {
        received++;
        if (received > requested) overDelivered = true;      // the publisher must honour the demand
        if (item != next++) outOfOrder = true;
        sum += work(item);
        delivered.incrementAndGet();                         // counted once the item is out of our hands
        if (received == requested) { requested += batch; subscription.request(batch); }   // ask for the next n
    }
    public void onError(Throwable t) { t.printStackTrace(); done.countDown(); }
    public void onComplete() { done.countDown(); }
}

void flow() throws InterruptedException {
    int items = 50_000, batch = 16, buffer = 256;
    var subscriber = new Batched(batch);
    long maxLead = 0;
    try (ExecutorService delivery = Executors.newSingleThreadExecutor();
         var publisher = new SubmissionPublisher<Integer>(delivery, buffer)) {
        publisher.subscribe(subscriber);
        for (int i = 0; i < items; i++) {
            publisher.submit(i);                             // blocks while this subscriber's buffer is full
            maxLead = Math.max(maxLead, i + 1 - subscriber.delivered.get());
        }
        publisher.close();                                   // onComplete after the last item
        check(subscriber.done.await(30, TimeUnit.SECONDS), "the subscriber completed");
    }
    check(subscriber.received == items && !subscriber.outOfOrder, "every item delivered once, in order");
    check(!subscriber.overDelivered, "never more items delivered than requested");
    check(maxLead <= buffer + 1, "the producer was never more than the buffer (" + buffer + ") + 1 ahead: " + maxLead);
    System.out.printf("flow: %,d items requested %d at a time, never over-delivered; producer at most %d ahead (buffer %d)%n",
            subscriber.received, batch, maxLead, buffer);
}

// 3. Items differ in size: count bytes, not items. A Semaphore holds the byte budget; the reader takes an item's
//    size before reading it and a worker gives it back after processing. An item larger than the whole budget would
//    wait forever, so its claim is capped at the budget (it then runs alone).
void inFlightBytes() throws InterruptedException {
    int budget = 256 * 1024, items = 5_000;
    var bytes = new Semaphore(budget);
    var inFlight = new AtomicLong();
    var peak = new AtomicLong();
    var queue = new LinkedBlockingQueue<int[]>();            // unbounded on purpose: the semaphore is the bound
    var random = new SplittableRandom(42);
    Thread[] workers = new Thread[4];
    for (int w = 0; w < workers.length; w++)
        workers[w] = Thread.ofPlatform().start(() -> {
            try {
                for (int[] item; (item = queue.take()).length > 0; ) {
                    work(item[0]);
                    inFlight.addAndGet(-item[1]);
                    bytes.release(item[1]);
                }
            } catch (InterruptedException e) { Thread.currentThread().interrupt(); }
        });
    long total = 0;
    for (int i = 0; i < items; i++) {
        int size = i == 100 ? 1_000_000 : random.nextInt(1, 64 * 1024);   // one item bigger than the whole budget
        int claim = Math.min(size, budget);
        bytes.acquire(claim);                                // wait until this many bytes may be in flight
        peak.accumulateAndGet(inFlight.addAndGet(claim), Math::max);
        queue.put(new int[] {i, claim});                     // "read" the item: now it occupies memory
        total += size;
    }
    for (int w = 0; w < workers.length; w++) queue.put(new int[0]);   // one poison pill per worker
    for (var t : workers) t.join();
    check(peak.get() <= budget, "bytes in flight never above the budget: " + peak.get());
    check(bytes.availablePermits() == budget && inFlight.get() == 0, "every byte given back at the end");
    System.out.printf("bytes: %,d items, %,d bytes in all; at most %,d bytes in flight (budget %,d)%n",
            items, total, peak.get(), budget);
}

boundedQueue();
flow();
inFlightBytes();
/exit
