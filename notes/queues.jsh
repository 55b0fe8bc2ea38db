// Queues between threads — run with: jshell notes/queues.jsh
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.stream.IntStream;

void check(boolean ok, String message) { if (!ok) throw new AssertionError(message); }

// 1. The four ways to put and to take, on a full and on an empty bounded queue.
void putAndTake() throws InterruptedException {
    BlockingQueue<String> q = new ArrayBlockingQueue<>(2);
    check(q.offer("a") && q.offer("b"), "offer() succeeds while there is room");
    check(!q.offer("c"), "offer() on a full queue returns false at once");
    check(!q.offer("c", 50, TimeUnit.MILLISECONDS), "offer(timeout) gives up after the timeout");
    boolean threw = false;
    try { q.add("c"); } catch (IllegalStateException full) { threw = true; }
    check(threw, "add() on a full queue throws");
    check(q.take().equals("a") && q.poll().equals("b"), "FIFO: first in, first out");
    check(q.poll() == null, "poll() on an empty queue returns null at once");
    check(q.poll(50, TimeUnit.MILLISECONDS) == null, "poll(timeout) returns null after the timeout");
    threw = false;
    try { q.offer(null); } catch (NullPointerException noNulls) { threw = true; }
    check(threw, "null is refused: poll() uses null to mean 'empty'");
    check(new LinkedBlockingQueue<String>().remainingCapacity() == Integer.MAX_VALUE, "unbounded unless you give a capacity");
    System.out.println("put/offer/add and take/poll behave as documented");
}

// 2. One producer, one consumer, a bounded queue of 4 and a poison pill to say "no more".
//    put() blocks while the queue is full: the producer can never run more than 4 items ahead.
record Item(int value) {}
Item POISON = new Item(-1);                     // compared by identity (==), so it cannot clash with a real item

// The consumer's loop: take until the pill arrives.
List<Integer> takeUntilPoison(BlockingQueue<Item> queue) throws InterruptedException {
    var received = new ArrayList<Integer>();
    for (Item item; (item = queue.take()) != POISON; ) received.add(item.value());
    return received;
}

void producerConsumer() throws InterruptedException {
    var queue = new ArrayBlockingQueue<Item>(4);
    var received = new AtomicReference<List<Integer>>();
    var maxSeen = new AtomicInteger();
    Thread producer = Thread.ofPlatform().name("producer").start(() -> {
        try {
            for (int i = 1; i <= 20; i++) {
                queue.put(new Item(i));
                maxSeen.accumulateAndGet(queue.size(), Math::max);
            }
            queue.put(POISON);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();   // asked to stop: keep the flag set and return
        }
    });
    Thread consumer = Thread.ofPlatform().name("consumer").start(() -> {
        try {
            received.set(takeUntilPoison(queue));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    });
    producer.join();
    consumer.join();
    System.out.printf("received %s; at most %d items were waiting in the queue%n", received.get(), maxSeen.get());
    check(received.get().equals(IntStream.rangeClosed(1, 20).boxed().toList()), "every item once, in order");
    check(maxSeen.get() <= 4, "the queue never held more than its capacity");
}

// 3. Several consumers: one poison pill per consumer, or some of them wait forever.
void manyConsumers() throws InterruptedException {
    int consumers = 3;
    var queue = new LinkedBlockingQueue<Item>(100);
    var results = new AtomicReferenceArray<List<Integer>>(consumers);
    var threads = new ArrayList<Thread>();
    for (int c = 0; c < consumers; c++) {
        int me = c;
        threads.add(Thread.ofPlatform().start(() -> {
            try {
                results.set(me, takeUntilPoison(queue));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }));
    }
    for (int i = 1; i <= 1_000; i++) queue.put(new Item(i));
    for (int c = 0; c < consumers; c++) queue.put(POISON);      // one pill each
    for (var t : threads) t.join();
    var all = new ArrayList<Integer>();
    var counts = new ArrayList<Integer>();
    for (int c = 0; c < consumers; c++) { all.addAll(results.get(c)); counts.add(results.get(c).size()); }
    all.sort(null);
    System.out.printf("3 consumers took %s items%n", counts);
    check(all.equals(IntStream.rangeClosed(1, 1_000).boxed().toList()), "every item consumed exactly once");
    check(threads.stream().noneMatch(Thread::isAlive), "every consumer saw its pill and ended");
}

// 4. A SynchronousQueue has no room at all: put() waits until a taker arrives (a hand-off).
void handOff() throws InterruptedException {
    var handOff = new SynchronousQueue<String>();
    check(!handOff.offer("x"), "with no taker waiting, offer() fails: there is no buffer");
    var taken = new AtomicReference<String>();
    Thread taker = Thread.ofPlatform().start(() -> {
        try { taken.set(handOff.take()); }
        catch (InterruptedException e) { Thread.currentThread().interrupt(); }
    });
    handOff.put("baton");                                       // returns only once the taker has it
    taker.join();
    check("baton".equals(taken.get()), "the taker got the baton");
    System.out.println("SynchronousQueue: put() returned after the hand-off");
}

putAndTake();
producerConsumer();
manyConsumers();
handOff();
/exit
