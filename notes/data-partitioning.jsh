// Data partitioning — run with: jshell notes/data-partitioning.jsh
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;

void check(boolean ok, String message) { if (!ok) throw new AssertionError(message); }

// 1. Block partitioning: part k of p over n items is [k*n/p, (k+1)*n/p). The multiplication is done in long,
//    so it cannot overflow for any int n; sizes differ by at most one; some parts are empty when p > n.
long blockStart(int k, int n, int p) { return (long) k * n / p; }

void blockRanges() {
    for (int n = 0; n <= 40; n++)
        for (int p = 1; p <= 12; p++) {
            long covered = 0, min = Long.MAX_VALUE, max = 0;
            for (int k = 0; k < p; k++) {
                long size = blockStart(k + 1, n, p) - blockStart(k, n, p);
                covered += size; min = Math.min(min, size); max = Math.max(max, size);
            }
            check(blockStart(0, n, p) == 0 && blockStart(p, n, p) == n && covered == n, "parts tile [0, n) for n=" + n + ", p=" + p);
            check(max - min <= 1, "part sizes differ by at most one for n=" + n + ", p=" + p);
        }
    int big = Integer.MAX_VALUE;
    check(blockStart(3, big, 4) == 1_610_612_735L, "no overflow near Integer.MAX_VALUE (int arithmetic would go negative)");
    System.out.println("10 items in 3 parts: " + IntStream.range(0, 3).mapToObj(k -> "[" + blockStart(k, 10, 3) + ", " + blockStart(k + 1, 10, 3) + ")").toList());
}

// 2. Load imbalance: when item i costs i units of work (think: trial division of ever larger numbers),
//    equal-sized blocks are not equal work. Cyclic (i % p) and small chunks dealt round robin even it out.
long[] workPerWorker(int n, int p, java.util.function.IntUnaryOperator owner) {
    long[] work = new long[p];
    for (int i = 0; i < n; i++) work[owner.applyAsInt(i)] += i;      // cost(i) = i
    return work;
}

void loadImbalance() {
    int n = 1_000, p = 2, chunk = 50;
    long[] block = workPerWorker(n, p, i -> (int) ((long) i * p / n));
    long[] cyclic = workPerWorker(n, p, i -> i % p);
    long[] chunked = workPerWorker(n, p, i -> (i / chunk) % p);
    System.out.printf("work per worker  block %s  cyclic %s  chunks of %d %s%n",
            Arrays.toString(block), Arrays.toString(cyclic), chunk, Arrays.toString(chunked));
    check(Arrays.equals(block, new long[] {124_750, 374_750}), "block: the second worker gets 3x the work of the first");
    check(Arrays.equals(cyclic, new long[] {249_500, 250_000}), "cyclic: nearly equal");
    check(Arrays.stream(chunked).sum() == 499_500, "every item is counted once, whatever the scheme");
}

// 3. Dynamic partitioning: workers take the next chunk from a shared counter when they are free,
//    so a slow chunk does not hold up the others. Who takes which chunk varies from run to run; the total does not.
void dynamicChunks() throws InterruptedException {
    int n = 1_000, chunk = 100, workers = 2;
    var next = new AtomicInteger();
    var taken = new ConcurrentLinkedQueue<String>();
    long[] partial = new long[workers];
    var threads = new ArrayList<Thread>();
    for (int w = 0; w < workers; w++) {
        int me = w;
        threads.add(Thread.ofPlatform().start(() -> {
            for (int start; (start = next.getAndAdd(chunk)) < n; ) {
                for (int i = start; i < Math.min(start + chunk, n); i++) partial[me] += i;
                taken.add("w" + me + ":" + start);
            }
        }));
    }
    for (var t : threads) t.join();
    System.out.println("chunks taken (worker:start): " + taken);
    check(taken.size() == n / chunk, "every chunk taken exactly once");
    check(partial[0] + partial[1] == 499_500, "the partial sums add up to 0 + 1 + ... + 999");
}

// 4. Task parallelism: different jobs over the same data at the same time, rather than one job over parts of it.
void taskParallelism() {
    int[] data = IntStream.range(0, 100_000).map(i -> (i * 7919) % 10_007).toArray();
    try (var pool = Executors.newFixedThreadPool(2)) {
        var stats = CompletableFuture.supplyAsync(() -> Arrays.stream(data).summaryStatistics(), pool);
        var evens = CompletableFuture.supplyAsync(() -> Arrays.stream(data).filter(x -> x % 2 == 0).count(), pool);
        var s = stats.join();
        System.out.printf("two tasks at once: min %d, max %d, mean %.1f; %,d even values%n", s.getMin(), s.getMax(), s.getAverage(), evens.join());
        check(s.getMin() == 0 && s.getMax() == 10_006, "the values of i * 7919 mod 10007 span 0..10006");
        check(evens.join() == Arrays.stream(data).filter(x -> x % 2 == 0).count(), "the count task agrees with a sequential count");
    }
}

blockRanges();
loadImbalance();
dynamicChunks();
taskParallelism();
/exit
