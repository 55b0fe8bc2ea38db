// Deadlocks and their fixes — run with: jshell notes/deadlocks.jsh
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;

void check(boolean ok, String message) { if (!ok) throw new AssertionError(message); }

// Start n platform threads running body(id) and wait for all of them.
void runThreads(int n, java.util.function.IntConsumer body) throws InterruptedException {
    var threads = new ArrayList<Thread>();
    for (int i = 0; i < n; i++) { int id = i; threads.add(Thread.ofPlatform().start(() -> body.accept(id))); }
    for (var t : threads) t.join();
}

// 1. A real deadlock, on purpose. Thread "ab" takes lock a then b, thread "ba" takes b then a.
//    The latch makes sure each holds its first lock before asking for the second: the deadlock is certain.
//    lockInterruptibly() is what lets us end it afterwards: one thread is interrupted, both are joined.
void deadlockDetectAndBreak() throws InterruptedException {
    var a = new ReentrantLock();
    var b = new ReentrantLock();
    var bothHoldOne = new CountDownLatch(2);
    var interrupted = new AtomicInteger();
    Runnable ab = () -> lockBoth(a, b, bothHoldOne, interrupted);
    Runnable ba = () -> lockBoth(b, a, bothHoldOne, interrupted);
    Thread t1 = Thread.ofPlatform().name("ab").start(ab);
    Thread t2 = Thread.ofPlatform().name("ba").start(ba);

    // The JVM finds cycles of threads waiting for monitors or for java.util.concurrent locks.
    ThreadMXBean mx = ManagementFactory.getThreadMXBean();
    long[] ids = null;
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while ((ids = mx.findDeadlockedThreads()) == null && System.nanoTime() < deadline) Thread.sleep(10);
    check(ids != null, "findDeadlockedThreads() reports the deadlock");
    var found = Arrays.stream(ids).boxed().toList();
    check(found.contains(t1.threadId()) && found.contains(t2.threadId()), "both of our threads are named as deadlocked");
    for (ThreadInfo info : mx.getThreadInfo(ids))
        System.out.printf("deadlocked: \"%s\" waits for %s held by \"%s\"%n",
                info.getThreadName(), info.getLockName(), info.getLockOwnerName());

    t1.interrupt();                                  // pick a victim: its lockInterruptibly() throws, it releases a,
    t1.join();                                       // and then "ba" gets a, finishes and releases both
    t2.join();
    check(interrupted.get() == 1, "the interrupted thread gave up; the other one completed");
    check(!a.isLocked() && !b.isLocked(), "both locks are free again");
    long[] left = mx.findDeadlockedThreads();
    check(left == null || Arrays.stream(left).noneMatch(id -> id == t1.threadId() || id == t2.threadId()), "no deadlock left");
    System.out.println("\"ab\" interrupted and gave up, \"ba\" completed; both joined, locks released");
}

void lockBoth(ReentrantLock first, ReentrantLock second, CountDownLatch bothHoldOne, AtomicInteger interrupted) {
    try {
        first.lockInterruptibly();
        try {
            bothHoldOne.countDown();
            bothHoldOne.await();                     // now the other thread holds the lock we want next
            second.lockInterruptibly();              // ...and wants ours: a cycle
            second.unlock();
        } finally {
            first.unlock();
        }
    } catch (InterruptedException e) {
        interrupted.incrementAndGet();               // asked to stop: give up, locks released by finally
    }
}

// Accounts are indexes into two arrays: a balance and a lock each.
long[] balances = new long[4];
ReentrantLock[] accountLocks = {new ReentrantLock(), new ReentrantLock(), new ReentrantLock(), new ReentrantLock()};

// 2. Fix one: lock ordering. Every thread takes the lower-numbered account first, so no cycle can form.
void transferOrdered(int from, int to, long amount) {
    ReentrantLock first = accountLocks[Math.min(from, to)], second = accountLocks[Math.max(from, to)];
    first.lock();
    try {
        second.lock();
        try { balances[from] -= amount; balances[to] += amount; }
        finally { second.unlock(); }
    } finally {
        first.unlock();
    }
}

// 3. Fix two: tryLock with a timeout; on failure release everything, back off a random while, retry.
//    No cycle can last, because nobody waits while holding for long. Returns the number of retries.
int transferTryLock(int from, int to, long amount) throws InterruptedException {
    for (int retries = 0; ; retries++) {
        if (accountLocks[from].tryLock(1, TimeUnit.MILLISECONDS)) {
            try {
                if (accountLocks[to].tryLock(1, TimeUnit.MILLISECONDS)) {
                    try { balances[from] -= amount; balances[to] += amount; return retries; }
                    finally { accountLocks[to].unlock(); }
                }
            } finally {
                accountLocks[from].unlock();
            }
        }
        Thread.sleep(0, ThreadLocalRandom.current().nextInt(1, 100_000));   // random backoff breaks the symmetry
    }
}

long total() { return Arrays.stream(balances).sum(); }

void fixes() throws InterruptedException {
    Arrays.fill(balances, 1_000);
    // Opposite transfers, the pattern that deadlocks when each thread locks "from" first.
    runThreads(2, id -> { for (int i = 0; i < 20_000; i++) { if (id == 0) transferOrdered(0, 1, 3); else transferOrdered(1, 0, 3); } });
    check(total() == 4_000, "lock ordering: money is conserved");
    check(balances[0] == 1_000 && balances[1] == 1_000, "lock ordering: equal opposite transfers cancel out");
    System.out.println("lock ordering: 40,000 opposite transfers, no deadlock, total " + total());

    var retries = new AtomicInteger();
    runThreads(4, id -> {
        try {
            for (int i = 0; i < 2_000; i++) retries.addAndGet(transferTryLock(id, (id + 1) % 4, 1 + i % 7));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    });
    check(total() == 4_000, "tryLock and backoff: money is conserved");
    check(Arrays.stream(accountLocks).noneMatch(ReentrantLock::isLocked), "every lock released");
    System.out.printf("tryLock + backoff: 8,000 transfers in a ring of 4 accounts, %d retries, total %d%n", retries.get(), total());
}

deadlockDetectAndBreak();
fixes();
/exit
