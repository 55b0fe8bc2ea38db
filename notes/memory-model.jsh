// Race conditions and the Java memory model — run with: jshell notes/memory-model.jsh
import java.util.ArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

void check(boolean ok, String message) { if (!ok) throw new AssertionError(message); }

// Start n platform threads running body(id) and wait for all of them.
void runThreads(int n, java.util.function.IntConsumer body) throws InterruptedException {
    var threads = new ArrayList<Thread>();
    for (int i = 0; i < n; i++) { int id = i; threads.add(Thread.ofPlatform().start(() -> body.accept(id))); }
    for (var t : threads) t.join();
}

// 1. A lost update, made deterministic: two "threads" interleaved by hand, step by step.
//    count++ is three steps: read, add, write. If both read before either writes, one increment is lost.
void lostUpdateByHand() {
    int[] count = {0};
    int a = count[0];          // thread A reads 0
    int b = count[0];          // thread B reads 0
    count[0] = a + 1;          // A writes 1
    count[0] = b + 1;          // B writes 1: A's increment is gone
    check(count[0] == 1, "read-read-write-write loses one of two increments");
    System.out.println("by hand: two increments, read-read-write-write -> count = " + count[0]);
}

// 2. The same race with real threads. Whether and how many updates are lost depends on the machine and
//    the moment, so it is printed, not checked. The safe counters are checked: they are exact every time.
class Counters {
    long plain;                                    // no synchronisation: racy
    long locked;                                   // guarded by this
    synchronized void incrementLocked() { locked++; }
}

Counters counters = new Counters();

void racingThreads() throws InterruptedException {
    var atomic = new AtomicLong();
    var adder = new LongAdder();
    int perThread = 500_000;
    runThreads(2, id -> { for (int i = 0; i < perThread; i++) counters.plain++; });   // the racy one, alone
    runThreads(2, id -> {
        for (int i = 0; i < perThread; i++) {
            counters.incrementLocked();
            atomic.incrementAndGet();
            adder.increment();
        }
    });
    System.out.printf("2 x %,d increments: plain %,d (lost %,d), synchronized %,d, AtomicLong %,d, LongAdder %,d%n",
            perThread, counters.plain, 2L * perThread - counters.plain, counters.locked, atomic.get(), adder.sum());
    check(counters.plain <= 2L * perThread, "a racy counter can lose updates but never invent them");
    check(counters.locked == 2L * perThread, "synchronized: no update lost");
    check(atomic.get() == 2L * perThread && adder.sum() == 2L * perThread, "atomics: no update lost");
}

// 3. Check-then-act is a race too, even on a thread-safe counter: decide and act in one atomic step.
void checkThenAct() throws InterruptedException {
    var stock = new AtomicInteger(100);
    var sold = new AtomicInteger();
    runThreads(4, id -> {
        for (int i = 0; i < 100; i++) {
            // Wrong: if (stock.get() > 0) stock.decrementAndGet();  -- two threads can both see 1
            int left = stock.getAndUpdate(s -> s > 0 ? s - 1 : s);     // one atomic read-modify-write
            if (left > 0) sold.incrementAndGet();
        }
    });
    check(stock.get() == 0 && sold.get() == 100, "exactly 100 sold from a stock of 100, never more");
    System.out.printf("4 threads, 400 attempts, stock 100: sold %d, stock left %d%n", sold.get(), stock.get());
}

// 4. Safe publication through a volatile field: everything written before the volatile write is visible
//    to a thread that reads the new value (happens-before). Without volatile the reader might never stop,
//    or see the flag but stale data.
class Mailbox {
    int[] data;                                    // plain field, published by the volatile write below
    volatile boolean ready;
}

Mailbox mailbox = new Mailbox();

void volatilePublication() throws InterruptedException {
    var seen = new AtomicLong(-1);
    Thread reader = Thread.ofPlatform().start(() -> {
        while (!mailbox.ready) Thread.onSpinWait();    // volatile read: sees the write eventually, guaranteed
        long sum = 0;
        for (int x : mailbox.data) sum += x;         // ...and everything written before it
        seen.set(sum);
    });
    int[] data = new int[1_000];
    for (int i = 0; i < data.length; i++) data[i] = i;
    mailbox.data = data;                           // 1. plain writes
    mailbox.ready = true;                          // 2. volatile write publishes them
    reader.join();
    check(seen.get() == 999L * 1_000 / 2, "the reader saw all the data written before the volatile flag");
    System.out.println("volatile flag: the reader saw the whole array, sum " + seen.get());
}

// 5. Final fields: an immutable object is safe to share even through a racy reference, once its
//    constructor has finished (and `this` did not escape from it). Records have only final fields.
record Point(int x, int y) {}

void finalFields() throws InterruptedException {
    Point[] slot = new Point[1];                   // a plain, racy reference
    var sums = new AtomicLong();
    var readers = new AtomicInteger();
    Thread writer = Thread.ofPlatform().start(() -> { for (int i = 1; i <= 10_000; i++) slot[0] = new Point(i, -i); });
    runThreads(2, id -> {
        for (int i = 0; i < 10_000; i++) {
            Point p = slot[0];
            if (p != null) { sums.addAndGet(p.x() + p.y()); readers.incrementAndGet(); }
        }
    });
    writer.join();
    check(sums.get() == 0, "every Point read, however racily, had both its final fields set (x + y == 0)");
    System.out.printf("final fields: %,d racy reads, every Point fully built%n", readers.get());
}

lostUpdateByHand();
racingThreads();
checkThenAct();
volatilePublication();
finalFields();
/exit
