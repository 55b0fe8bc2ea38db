// Pools vs manual thread management — run with: jshell notes/pools-vs-manual.jsh
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.Future;
import java.util.concurrent.RecursiveTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

void check(boolean ok, String message) { if (!ok) throw new AssertionError(message); }

// 1. Raw threads: you start, you join, and a failure is lost unless you catch it yourself.
void rawThreads() throws InterruptedException {
    var failure = new AtomicReference<Throwable>();
    Thread worker = Thread.ofPlatform().name("raw-worker")
            .uncaughtExceptionHandler((t, e) -> failure.set(e))   // without this: a stack trace on stderr, nothing more
            .start(() -> { throw new IllegalStateException("boom in " + Thread.currentThread().getName()); });
    worker.join();                                              // join() returns normally: it does not rethrow
    System.out.println("raw thread failed with: " + failure.get().getMessage());
    check(failure.get() instanceof IllegalStateException, "the caller only learns of the failure through the handler");
}

// 2. An ExecutorService: submit tasks, get Futures; a task's failure comes back from get(), wrapped.
//    try-with-resources calls close() (Java 19+): no new tasks, wait for the submitted ones, shut the threads down.
void executorService() throws InterruptedException {
    var squares = new ArrayList<Integer>();
    Throwable cause = null;
    var pool = Executors.newFixedThreadPool(2);
    try (pool) {
        var tasks = new ArrayList<Callable<Integer>>();
        for (int i = 1; i <= 5; i++) { int n = i; tasks.add(() -> n * n); }
        for (Future<Integer> f : pool.invokeAll(tasks)) squares.add(f.resultNow());   // invokeAll waits for all
        Future<Integer> failing = pool.submit(() -> Integer.parseInt("not a number"));
        try { failing.get(); } catch (ExecutionException e) { cause = e.getCause(); }
    }
    System.out.println("squares " + squares + "; the failing task's own message: " + cause.getMessage());
    check(squares.equals(List.of(1, 4, 9, 16, 25)), "results in task order");
    check(cause instanceof NumberFormatException, "get() hands back the task's own exception as the cause");
    check(pool.isTerminated(), "after close() the pool's threads are gone");
}

// 3. shutdown() vs shutdownNow(): the first lets queued tasks run, the second returns them and interrupts the running one.
void shutdownNowDemo() throws InterruptedException {
    var pool = Executors.newSingleThreadExecutor();
    var started = new CountDownLatch(1);
    var interrupted = new AtomicInteger();
    pool.submit(() -> {
        started.countDown();
        try { Thread.sleep(Duration.ofMinutes(1)); } catch (InterruptedException e) { interrupted.incrementAndGet(); }
    });
    for (int i = 0; i < 3; i++) pool.submit(() -> {});          // queued behind the sleeper
    started.await();
    List<Runnable> neverRan = pool.shutdownNow();
    check(pool.awaitTermination(5, TimeUnit.SECONDS), "the pool terminated once its running task saw the interrupt");
    System.out.printf("shutdownNow(): %d queued tasks handed back, %d running task interrupted%n", neverRan.size(), interrupted.get());
    check(neverRan.size() == 3 && interrupted.get() == 1, "3 tasks never ran; the running one was interrupted");
}

// 4. ForkJoinPool: split a task until it is small, compute the pieces, join the results. Idle workers steal work.
class Sum extends RecursiveTask<Long> {
    final long[] a; final int from, to;
    Sum(long[] a, int from, int to) { this.a = a; this.from = from; this.to = to; }
    @Override protected Long compute() {
        if (to - from <= 10_000) { long s = 0; for (int i = from; i < to; i++) s += a[i]; return s; }
        int mid = (from + to) >>> 1;
        var left = new Sum(a, from, mid);
        left.fork();                                            // push the left half where another worker can steal it
        return new Sum(a, mid, to).compute() + left.join();     // do the right half here, then wait for the left
    }
}

void forkJoin() {
    long[] a = java.util.stream.LongStream.rangeClosed(1, 1_000_000).toArray();
    long sum;
    try (var pool = new ForkJoinPool(2)) { sum = pool.invoke(new Sum(a, 0, a.length)); }
    System.out.printf("fork/join sum %,d; the common pool has parallelism %d on this %d-core machine%n",
            sum, ForkJoinPool.getCommonPoolParallelism(), Runtime.getRuntime().availableProcessors());
    check(sum == 1_000_000L * 1_000_001 / 2, "1 + 2 + ... + 1,000,000");
}

// 5. Virtual threads: one cheap thread per task, for tasks that mostly wait. Never pool them.
void virtualThreads() {
    var done = new AtomicInteger();
    long t0 = System.nanoTime();
    try (var executor = Executors.newVirtualThreadPerTaskExecutor()) {
        for (int i = 0; i < 1_000; i++)
            executor.submit(() -> { Thread.sleep(Duration.ofMillis(10)); return done.incrementAndGet(); });
    }
    System.out.printf("1,000 virtual threads slept 10 ms each: %.0f ms in all%n", (System.nanoTime() - t0) / 1e6);
    check(done.get() == 1_000, "close() waited for all 1,000 tasks");
}

rawThreads();
executorService();
shutdownNowDemo();
forkJoin();
virtualThreads();
/exit
