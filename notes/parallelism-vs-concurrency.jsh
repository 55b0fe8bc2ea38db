// Parallelism vs concurrency — run with: jshell notes/parallelism-vs-concurrency.jsh
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

void check(boolean ok, String message) { if (!ok) throw new AssertionError(message); }

// 1. Concurrency without parallelism: one thread, two tasks, interleaved step by step.
//    A task is a list of steps; the "scheduler" runs one step of each task in turn (round robin),
//    the way an event loop runs coroutines until they wait.
List<String> roundRobin(List<List<String>> tasks) {
    var queue = new ArrayDeque<ArrayDeque<String>>();
    for (var task : tasks) queue.add(new ArrayDeque<>(task));
    var trace = new ArrayList<String>();
    while (!queue.isEmpty()) {
        var task = queue.poll();
        trace.add(task.poll() + "@" + Thread.currentThread().getName());
        if (!task.isEmpty()) queue.add(task);         // not finished: back of the line
    }
    return trace;
}

void concurrencyOnOneThread() {
    var trace = roundRobin(List.of(List.of("A1", "A2", "A3"), List.of("B1", "B2")));
    System.out.println("one thread, two tasks: " + trace);
    var steps = trace.stream().map(s -> s.substring(0, 2)).toList();
    check(steps.equals(List.of("A1", "B1", "A2", "B2", "A3")), "steps interleave A, B, A, B, A");
    check(trace.stream().map(s -> s.substring(3)).distinct().count() == 1, "every step ran on the same thread");
}

// 2. Parallelism: two threads, each sums its own half of a range, at the same time on two cores
//    (if the machine has them). Each thread writes only its own slot; join() makes the slots visible.
long sumOfSquares(long from, long to) {
    long sum = 0;
    for (long i = from; i < to; i++) sum += i * i;
    return sum;
}

void parallelismOnTwoThreads() throws InterruptedException {
    long n = 2_000_000;                                  // the sum stays below Long.MAX_VALUE
    long[] partial = new long[2];
    String[] who = new String[2];
    long start = System.nanoTime();
    var left = Thread.ofPlatform().name("left").start(() -> { partial[0] = sumOfSquares(0, n / 2); who[0] = Thread.currentThread().getName(); });
    var right = Thread.ofPlatform().name("right").start(() -> { partial[1] = sumOfSquares(n / 2, n); who[1] = Thread.currentThread().getName(); });
    left.join();
    right.join();
    long elapsed = System.nanoTime() - start;
    System.out.printf("two threads %s summed %,d squares in %.1f ms on a machine with %d cores%n",
            List.of(who), n, elapsed / 1e6, Runtime.getRuntime().availableProcessors());
    check(partial[0] + partial[1] == sumOfSquares(0, n), "the two halves add up to the sequential sum");
    check(!who[0].equals(who[1]), "the halves ran on two different threads");
}

// 3. Concurrency at scale: 1,000 tasks that each wait 20 ms, on virtual threads.
//    They overlap their waiting; a handful of carrier (OS) threads runs them all.
void thousandWaiters() {
    var done = new AtomicInteger();
    Set<String> carriers = ConcurrentHashMap.newKeySet();
    long start = System.nanoTime();
    try (var executor = Executors.newVirtualThreadPerTaskExecutor()) {
        for (int i = 0; i < 1_000; i++) {
            executor.submit(() -> {
                Thread.sleep(Duration.ofMillis(20));
                String me = Thread.currentThread().toString();   // "VirtualThread[#42]/runnable@ForkJoinPool-1-worker-2"
                carriers.add(me.substring(me.indexOf('@') + 1));
                done.incrementAndGet();
                return null;
            });
        }
    }                                                                   // close() waits for all 1,000
    long elapsed = System.nanoTime() - start;
    System.out.printf("1,000 tasks x 20 ms of waiting took %.0f ms (one after another: 20,000 ms), carried by %d OS threads%n",
            elapsed / 1e6, carriers.size());
    check(done.get() == 1_000, "all 1,000 tasks finished before close() returned");
}

concurrencyOnOneThread();
parallelismOnTwoThreads();
thousandWaiters();
/exit
