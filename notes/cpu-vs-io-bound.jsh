// CPU-bound vs I/O-bound — run with: jshell notes/cpu-vs-io-bound.jsh
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;

void check(boolean ok, String message) { if (!ok) throw new AssertionError(message); }

// A CPU-bound task: all of its time is spent computing.
long countPrimes(int from, int to) {
    long count = 0;
    for (int n = Math.max(from, 2); n < to; n++) {
        boolean prime = true;
        for (int d = 2; (long) d * d <= n; d++) if (n % d == 0) { prime = false; break; }
        if (prime) count++;
    }
    return count;
}

// An I/O-bound task: most of its time is spent waiting. A sleep stands in for a network call or a disk read.
String fakeRequest(int id) throws InterruptedException {
    Thread.sleep(Duration.ofMillis(50));
    return "response " + id;
}

// 1. Tell them apart: CPU time used by the thread vs wall-clock time.
//    A CPU-bound task uses about as much CPU as wall time; a waiting task uses almost none.
record Profile(String name, long wallNanos, long cpuNanos) {}

Profile profile(String name, Callable<?> task) throws Exception {
    var mx = ManagementFactory.getThreadMXBean();   // per-thread CPU time works for platform threads
    long cpu0 = mx.getCurrentThreadCpuTime(), wall0 = System.nanoTime();
    task.call();
    return new Profile(name, System.nanoTime() - wall0, mx.getCurrentThreadCpuTime() - cpu0);
}

void classify() throws Exception {
    var cpu = profile("count primes below 300,000", () -> countPrimes(0, 300_000));
    var io = profile("one 50 ms request", () -> fakeRequest(0));
    for (var p : List.of(cpu, io))
        System.out.printf("%-28s wall %6.1f ms, cpu %6.1f ms -> %3.0f%% busy%n",
                p.name(), p.wallNanos() / 1e6, p.cpuNanos() / 1e6, 100.0 * p.cpuNanos() / p.wallNanos());
    check(io.wallNanos() >= 40_000_000, "the request waited about 50 ms (timers may be a little early)");
    check(io.cpuNanos() < io.wallNanos() / 2, "a sleeping thread uses (almost) no CPU");
}

// 2. I/O-bound work: overlap the waits. 100 requests of 50 ms each on virtual threads (one thread per request),
//    then 10 requests on a pool of only 2 platform threads: 5 rounds of 2 requests.
List<String> fanOut(ExecutorService executor, int requests) throws Exception {
    try (executor) {
        var futures = new ArrayList<Future<String>>();
        for (int i = 0; i < requests; i++) { int id = i; futures.add(executor.submit(() -> fakeRequest(id))); }
        var responses = new ArrayList<String>();
        for (var f : futures) responses.add(f.get());
        return responses;
    }
}

void ioFanOut() throws Exception {
    long t0 = System.nanoTime();
    var virtual = fanOut(Executors.newVirtualThreadPerTaskExecutor(), 100);
    long t1 = System.nanoTime();
    var twoThreads = fanOut(Executors.newFixedThreadPool(2), 10);
    long t2 = System.nanoTime();
    System.out.printf("100 requests on virtual threads: %5.0f ms (serially: 5,000 ms)%n", (t1 - t0) / 1e6);
    System.out.printf(" 10 requests on 2 threads:       %5.0f ms (serially:   500 ms)%n", (t2 - t1) / 1e6);
    check(virtual.equals(IntStream.range(0, 100).mapToObj(i -> "response " + i).toList()), "all 100 responses, in order");
    check(twoThreads.equals(IntStream.range(0, 10).mapToObj(i -> "response " + i).toList()), "all 10 responses, in order");
}

// 3. CPU-bound work: one task per core. More threads than cores only adds switching.
//    (Equal blocks are not equal work here: larger numbers take longer to test. See data-partitioning.jsh.)
void cpuPool() throws Exception {
    int cores = Runtime.getRuntime().availableProcessors();
    int limit = 200_000;
    long t0 = System.nanoTime();
    long sequential = countPrimes(0, limit);
    long t1 = System.nanoTime();
    long parallel = 0;
    try (var pool = Executors.newFixedThreadPool(cores)) {
        var parts = new ArrayList<Future<Long>>();
        for (int i = 0; i < cores; i++) {
            int from = (int) ((long) i * limit / cores), to = (int) ((long) (i + 1) * limit / cores);
            parts.add(pool.submit(() -> countPrimes(from, to)));
        }
        for (var part : parts) parallel += part.get();
    }
    long t2 = System.nanoTime();
    System.out.printf("primes below %,d: %,d; sequential %.1f ms, %d threads %.1f ms%n",
            limit, parallel, (t1 - t0) / 1e6, cores, (t2 - t1) / 1e6);
    check(parallel == sequential, "the pool finds exactly as many primes as the sequential loop");
    check(sequential == 17_984, "there are 17,984 primes below 200,000");
}

classify();
ioFanOut();
cpuPool();
/exit
