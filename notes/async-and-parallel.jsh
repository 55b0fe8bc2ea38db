// Async meets parallel — run with: jshell notes/async-and-parallel.jsh
import java.util.ArrayList;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

void check(boolean ok, String message) { if (!ok) throw new AssertionError(message); }

// 1. The async front: one virtual thread per request. 2,000 tasks that all block at the same time, which only
//    works if 2,000 of them can wait at once: each counts down a latch and then waits until all have arrived.
//    A fixed pool of 8 platform threads would hang here with 8 tasks waiting and 1,992 queued behind them.
void thousandsWaitAtOnce() throws Exception {
    int n = 2_000;
    var allArrived = new CountDownLatch(n);
    var finished = new AtomicInteger();
    try (ExecutorService front = Executors.newVirtualThreadPerTaskExecutor()) {
        for (int i = 0; i < n; i++)
            front.submit(() -> {
                allArrived.countDown();
                allArrived.await();                       // a blocking "I/O" wait: the virtual thread unmounts
                finished.incrementAndGet();
                return null;
            });
    }                                                     // close() waits for every task
    check(finished.get() == n, "all " + n + " virtual threads were blocked at the same time, then all finished");
    System.out.printf("front: %,d virtual threads blocked at once on one latch, all finished%n", n);
}

// Some CPU work: a deterministic checksum, so that any thread computing it gets the same answer.
long cpuWork(long seed) {
    long x = seed;
    for (int i = 0; i < 200_000; i++) x = x * 6364136223846793005L + 1442695040888963407L;
    return x;
}

// 2. CPU work goes to a bounded pool sized to the cores; the front only waits for it. Even when the CPU pool is
//    full, the front keeps answering requests that do not need it.
void cpuGoesToABoundedPool() throws Exception {
    int cores = Runtime.getRuntime().availableProcessors();
    var running = new AtomicInteger();
    var maxRunning = new AtomicInteger();
    var release = new CountDownLatch(1);
    var poolFull = new CountDownLatch(cores);
    try (ExecutorService cpu = Executors.newFixedThreadPool(cores);
         ExecutorService front = Executors.newVirtualThreadPerTaskExecutor()) {
        // Occupy every CPU thread (they wait on a latch, standing in for long computations).
        var blockers = new ArrayList<Future<?>>();
        for (int i = 0; i < cores; i++)
            blockers.add(cpu.submit(() -> { poolFull.countDown(); release.await(); return null; }));
        poolFull.await();

        // 200 requests arrive; each needs one CPU computation. They queue for the pool, they do not start threads.
        var answers = new ArrayList<CompletableFuture<Long>>();
        for (int i = 0; i < 200; i++) {
            long seed = i;
            answers.add(CompletableFuture.supplyAsync(() -> {
                int now = running.incrementAndGet();
                maxRunning.accumulateAndGet(now, Math::max);
                try { return cpuWork(seed); } finally { running.decrementAndGet(); }
            }, cpu));
        }
        // Meanwhile the front still answers a request that only does I/O: the CPU pool being full does not stop it.
        Future<String> health = front.submit(() -> "ok");
        check("ok".equals(health.get(10, TimeUnit.SECONDS)), "the front answers while the CPU pool is saturated");
        check(answers.stream().noneMatch(CompletableFuture::isDone), "the CPU requests wait in the pool's queue");

        release.countDown();
        for (var b : blockers) b.get();
        CompletableFuture.allOf(answers.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
        for (int i = 0; i < 200; i++) check(answers.get(i).get() == cpuWork(i), "each answer is its own computation");
    }
    check(maxRunning.get() <= cores, "never more CPU computations at once than the pool has threads");
    System.out.printf("cpu pool of %d: 200 computations, at most %d at once; the front answered while it was full%n",
            cores, maxRunning.get());
}

// 3. Timeouts and cancellation. Future.cancel(true) on an executor's Future interrupts the running task;
//    CompletableFuture.cancel(true) only completes the future: the computation behind it carries on.
void timeoutsAndCancellation() throws Exception {
    var started = new CountDownLatch(2);
    var release = new CountDownLatch(1);
    var interrupted = new CountDownLatch(1);
    var cfTaskInterrupted = new AtomicBoolean();
    var cfTaskFinished = new CountDownLatch(1);
    try (ExecutorService pool = Executors.newFixedThreadPool(2)) {
        Future<?> plain = pool.submit(() -> {
            started.countDown();
            try { release.await(); } catch (InterruptedException e) { interrupted.countDown(); }
        });
        CompletableFuture<String> cf = CompletableFuture.supplyAsync(() -> {
            started.countDown();
            try { release.await(); } catch (InterruptedException e) { cfTaskInterrupted.set(true); }
            cfTaskFinished.countDown();
            return "late";
        }, pool);
        started.await();

        // A deadline on the caller's side: the future fails with a TimeoutException, the task is not touched.
        var withDeadline = cf.copy().orTimeout(50, TimeUnit.MILLISECONDS);
        try { withDeadline.join(); check(false, "orTimeout must fail the copy"); }
        catch (java.util.concurrent.CompletionException e) { check(e.getCause() instanceof TimeoutException, "orTimeout fails with TimeoutException"); }

        plain.cancel(true);
        check(interrupted.await(10, TimeUnit.SECONDS), "Future.cancel(true) interrupted the running task");

        cf.cancel(true);
        check(cf.isCancelled(), "the CompletableFuture reports itself cancelled");
        try { cf.join(); check(false, "join on a cancelled future throws"); } catch (CancellationException expected) { }
        release.countDown();                               // let the task behind it finish
        check(cfTaskFinished.await(10, TimeUnit.SECONDS), "the task behind the CompletableFuture ran to its end");
        check(!cfTaskInterrupted.get(), "CompletableFuture.cancel(true) did not interrupt it");
    }
    System.out.println("cancel: Future.cancel(true) interrupts the task; CompletableFuture.cancel(true) leaves it running");
}

thousandsWaitAtOnce();
cpuGoesToABoundedPool();
timeoutsAndCancellation();
/exit
