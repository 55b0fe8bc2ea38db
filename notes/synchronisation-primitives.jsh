// Synchronisation primitives — run with: jshell notes/synchronisation-primitives.jsh
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.Phaser;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

void check(boolean ok, String message) { if (!ok) throw new AssertionError(message); }

// Start n platform threads running body(id) and wait for all of them.
void runThreads(int n, java.util.function.IntConsumer body) throws InterruptedException {
    var threads = new ArrayList<Thread>();
    for (int i = 0; i < n; i++) { int id = i; threads.add(Thread.ofPlatform().start(() -> body.accept(id))); }
    for (var t : threads) t.join();
}

// 1. A lock: one holder at a time. ReentrantLock lets its holder take it again; another thread's tryLock fails.
void lockBasics() throws InterruptedException {
    var lock = new ReentrantLock();
    lock.lock();
    try {
        lock.lock();                                           // the same thread again: allowed, counted
        try {
            check(lock.getHoldCount() == 2, "a ReentrantLock counts how often its holder took it");
            var otherGotIt = new AtomicBoolean(true);
            runThreads(1, id -> otherGotIt.set(lock.tryLock()));
            check(!otherGotIt.get(), "tryLock() from another thread fails while the lock is held");
        } finally {
            lock.unlock();
        }
    } finally {
        lock.unlock();
    }
    check(!lock.isLocked(), "two lock() calls need two unlock() calls");
    System.out.println("ReentrantLock: reentrant for its holder, refused to others");
}

// 2. A Semaphore with 3 permits limits how many threads are inside at once, whatever the number of threads.
//    A CountDownLatch(1) is the starting gate (Python's Event): every worker waits until it is opened.
void semaphoreLimit() throws InterruptedException {
    var permits = new Semaphore(3);
    var gate = new CountDownLatch(1);
    var inside = new AtomicInteger();
    var maxInside = new AtomicInteger();
    var ready = new CountDownLatch(8);
    Thread opener = Thread.ofPlatform().start(() -> {
        try { ready.await(); gate.countDown(); }               // open the gate once all 8 are waiting at it
        catch (InterruptedException e) { Thread.currentThread().interrupt(); }
    });
    runThreads(8, id -> {
        try {
            ready.countDown();
            gate.await();                                      // Event.wait()
            permits.acquire();
            try {
                maxInside.accumulateAndGet(inside.incrementAndGet(), Math::max);
                Thread.sleep(20);                              // "work" while holding a permit
                inside.decrementAndGet();
            } finally {
                permits.release();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    });
    opener.join();
    System.out.printf("8 threads, 3 permits: at most %d inside at once%n", maxInside.get());
    check(maxInside.get() <= 3, "never more than 3 threads hold a permit");
    check(permits.availablePermits() == 3, "every permit was given back");
}

// 3. A CyclicBarrier: 4 threads simulate in phases; nobody starts phase p+1 before all finished phase p.
//    The barrier action runs once per phase, after the last thread arrives, before any is released.
long[] simulateSequential(int cells, int phases) {
    long[] state = new long[cells];
    for (int i = 0; i < cells; i++) state[i] = i;
    for (int p = 0; p < phases; p++) {
        long[] next = new long[cells];
        for (int i = 0; i < cells; i++) next[i] = state[i] + state[(i + 1) % cells];   // reads a neighbour's cell
        state = next;
    }
    return state;
}

void barrierSimulation() throws InterruptedException {
    int cells = 16, phases = 5, workers = 4;
    long[][] buffers = {new long[cells], new long[cells]};
    for (int i = 0; i < cells; i++) buffers[0][i] = i;
    var phase = new AtomicInteger();
    var barrier = new CyclicBarrier(workers, phase::incrementAndGet);   // the action: next phase
    runThreads(workers, id -> {
        try {
            for (int p = 0; p < phases; p++) {
                long[] from = buffers[p % 2], to = buffers[(p + 1) % 2];
                for (int i = id; i < cells; i += workers) to[i] = from[i] + from[(i + 1) % cells];
                barrier.await();                               // wait until every cell of phase p is written
            }
        } catch (Exception e) {
            throw new RuntimeException(e);
        }
    });
    long[] expected = simulateSequential(cells, phases);
    check(java.util.Arrays.equals(buffers[phases % 2], expected), "the phased simulation equals the sequential one");
    check(phase.get() == phases, "the barrier action ran once per phase");
    System.out.printf("CyclicBarrier: %d phases, %d workers, result equals the sequential run%n", phases, workers);

    // A Phaser does the same, and parties may register and leave as they go.
    var phaser = new Phaser(1);                                // the main thread is a party too
    var arrived = new AtomicInteger();
    runThreads(3, id -> {
        phaser.register();
        arrived.incrementAndGet();
        phaser.arriveAndDeregister();
    });
    int reached = phaser.arriveAndDeregister();
    check(arrived.get() == 3 && reached == 0 && phaser.isTerminated(), "a Phaser with no parties left terminates");
}

// 4. A bounded buffer on one lock and two conditions, the textbook way: always `while`, never `if`.
final class BoundedBuffer {
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition notFull = lock.newCondition();
    private final Condition notEmpty = lock.newCondition();
    private final long[] items;
    private int head, count;                                   // guarded by lock
    BoundedBuffer(int capacity) { items = new long[capacity]; }
    void put(long x) throws InterruptedException {
        lock.lock();
        try {
            while (count == items.length) notFull.await();     // re-check after every wake-up
            items[(head + count++) % items.length] = x;
            notEmpty.signal();
        } finally { lock.unlock(); }
    }
    long take() throws InterruptedException {
        lock.lock();
        try {
            while (count == 0) notEmpty.await();
            long x = items[head];
            head = (head + 1) % items.length;
            count--;
            notFull.signal();
            return x;
        } finally { lock.unlock(); }
    }
}

BoundedBuffer buffer = new BoundedBuffer(4);

void boundedBuffer() throws InterruptedException {
    var sum = new AtomicLong();
    runThreads(4, id -> {
        try {
            if (id < 2) { for (int i = 1; i <= 5_000; i++) buffer.put(i); }            // 2 producers
            else        { for (int i = 0; i < 5_000; i++) sum.addAndGet(buffer.take()); } // 2 consumers
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    });
    System.out.printf("bounded buffer (capacity 4): 2 producers, 2 consumers, sum %,d%n", sum.get());
    check(sum.get() == 2L * 5_000 * 5_001 / 2, "every item taken exactly once, nobody stuck");
}

// 5. A lost wake-up: a signal sent while nobody waits is not remembered. A waiter that checks
//    state first (the `while` loop) never needs it; one that just waits sleeps through it.
void lostWakeUp() throws InterruptedException {
    var lock = new ReentrantLock();
    Condition done = lock.newCondition();
    boolean[] ready = {false};                                 // guarded by lock
    lock.lock();
    try { ready[0] = true; done.signalAll(); }                 // nobody is waiting yet
    finally { lock.unlock(); }

    lock.lock();
    try {
        long t0 = System.nanoTime();
        boolean woken = done.await(100, TimeUnit.MILLISECONDS); // waits for a signal that already went
        System.out.printf("waiting without checking state: %s after %.0f ms%n",
                woken ? "woken (spuriously)" : "timed out", (System.nanoTime() - t0) / 1e6);
        int waits = 0;
        while (!ready[0]) { done.await(); waits++; }           // checks first: no wait at all
        check(waits == 0, "a waiter that checks its condition first does not need the lost signal");
    } finally {
        lock.unlock();
    }
}

lockBasics();
semaphoreLimit();
barrierSimulation();
boundedBuffer();
lostWakeUp();
/exit
