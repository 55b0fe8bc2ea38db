// When parallel is slower — run with: jshell notes/when-parallel-is-slower.jsh
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.stream.IntStream;

void check(boolean ok, String message) { if (!ok) throw new AssertionError(message); }

// 1. The laws, exactly. Amdahl: a fixed problem with a serial fraction s can never go faster than 1/s.
//    Gustafson: if the problem grows with the workers, the parallel part grows too, and the speedup with it.
double amdahl(double parallelFraction, int n) { return 1 / ((1 - parallelFraction) + parallelFraction / n); }
double gustafson(double parallelFraction, int n) { return n - (1 - parallelFraction) * (n - 1); }

void laws() {
    System.out.println("speedup      n=2    n=8    n=64   n=1024  (p = parallel fraction)");
    for (double p : new double[] {0.5, 0.9, 0.99}) {
        System.out.printf("amdahl p=%.2f %5.2f  %5.2f  %5.2f  %6.2f%n", p, amdahl(p, 2), amdahl(p, 8), amdahl(p, 64), amdahl(p, 1024));
        check(amdahl(p, 1_000_000) < 1 / (1 - p), "Amdahl: never above 1 / serial fraction");
    }
    System.out.printf("gustafson p=0.90, n=64: %.1f (the problem grew 64 times)%n", gustafson(0.9, 64));
    check(Math.abs(amdahl(0.9, 8) - 4.705882) < 1e-6, "90 % parallel on 8 workers: 4.7x, not 8x");
}

// Timing helper: one warm-up, then the median of 5 runs, in microseconds. Printed, never checked.
long micros(Runnable r) {
    r.run();
    long[] t = new long[5];
    for (int i = 0; i < t.length; i++) { long s = System.nanoTime(); r.run(); t[i] = (System.nanoTime() - s) / 1_000; }
    Arrays.sort(t);
    return t[t.length / 2];
}

long mix(long x) { x ^= x >>> 33; x *= 0xff51afd7ed558ccdL; x ^= x >>> 33; return x; }

// 2. Overhead per task. Tiny work per item: a parallel stream over a small input pays for splitting, scheduling and
//    joining, and may lose to a plain loop. The result is the same; the time is printed.
void overheadPerTask() throws Exception {
    int[] small = IntStream.range(0, 2_000).toArray();
    long seq = Arrays.stream(small).mapToLong(x -> mix(x)).sum();
    long par = Arrays.stream(small).parallel().mapToLong(x -> mix(x)).sum();
    check(seq == par, "the same sum either way");
    long tSeq = micros(() -> Arrays.stream(small).mapToLong(x -> mix(x)).sum());
    long tPar = micros(() -> Arrays.stream(small).parallel().mapToLong(x -> mix(x)).sum());
    System.out.printf("2,000 tiny items: sequential %d us, parallel stream %d us%n", tSeq, tPar);

    // One executor task per item vs one task per chunk: the same work, very different overhead.
    int n = 20_000;
    try (ExecutorService pool = Executors.newFixedThreadPool(2)) {
        long perItem = micros(() -> {
            var fs = new ArrayList<Future<Long>>(n);
            for (int i = 0; i < n; i++) { long v = i; fs.add(pool.submit(() -> mix(v))); }
            long s = 0; for (var f : fs) try { s += f.get(); } catch (Exception e) { throw new RuntimeException(e); }
        });
        long perChunk = micros(() -> {
            var fs = new ArrayList<Future<Long>>();
            for (int c = 0; c < 2; c++) {
                int from = c * n / 2, to = (c + 1) * n / 2;
                fs.add(pool.submit(() -> { long s = 0; for (int i = from; i < to; i++) s += mix(i); return s; }));
            }
            long s = 0; for (var f : fs) try { s += f.get(); } catch (Exception e) { throw new RuntimeException(e); }
        });
        System.out.printf("%,d items on a pool of 2: one task per item %,d us, one task per half %,d us%n", n, perItem, perChunk);
    }
}

// 3. Oversubscription: the same CPU-bound work on as many threads as cores, and on 8 times as many. The CPU time
//    is about the same (the work is the same); the wall time does not improve. CPU time / (wall x cores) is the
//    utilisation: how to tell "busy but not faster" from "waiting".
long spin(long seed, int rounds) { long x = seed; for (int i = 0; i < rounds; i++) x = mix(x + i); return x; }

record Run(long result, long wallMicros, long cpuMicros) { }

Run cpuBound(int threads, int tasks) throws Exception {
    var mx = ManagementFactory.getThreadMXBean();
    var cpu = new AtomicLong();
    long start = System.nanoTime();
    long result = 0;
    try (ExecutorService pool = Executors.newFixedThreadPool(threads)) {
        var fs = new ArrayList<Future<Long>>();
        for (int t = 0; t < tasks; t++) {
            long seed = t;
            fs.add(pool.submit(() -> {
                long c0 = mx.getCurrentThreadCpuTime();
                long r = spin(seed, 20_000_000 / tasks);
                cpu.addAndGet(mx.getCurrentThreadCpuTime() - c0);
                return r;
            }));
        }
        for (var f : fs) result ^= f.get();
    }
    return new Run(result, (System.nanoTime() - start) / 1_000, cpu.get() / 1_000);
}

void oversubscription() throws Exception {
    int cores = Runtime.getRuntime().availableProcessors(), tasks = 64;
    cpuBound(cores, tasks);                                    // warm-up
    var fit = cpuBound(cores, tasks);
    var over = cpuBound(8 * cores, tasks);
    var one = cpuBound(1, tasks);
    check(fit.result() == over.result() && fit.result() == one.result(), "the same answer on 1, N and 8N threads");
    show("1 thread", one, cores);
    show(cores + " threads (= cores)", fit, cores);
    show(8 * cores + " threads (8x cores)", over, cores);
}

void show(String label, Run r, int cores) {
    double utilisation = 100.0 * r.cpuMicros() / ((double) r.wallMicros() * cores);   // share of all cores kept busy
    System.out.printf("%-22s wall %,9d us, cpu %,9d us, utilisation %3.0f %%%n", label, r.wallMicros(), r.cpuMicros(), utilisation);
}

// 4. False sharing: two threads each increment their own counter. Side by side in one cache line, every write
//    steals the line from the other core; 128 bytes apart, they never meet. Same result, different time.
AtomicLongArray counters = new AtomicLongArray(64);

long twoWriters(int a, int b, int iterations) throws InterruptedException {
    Thread t1 = Thread.ofPlatform().start(() -> { for (int i = 0; i < iterations; i++) counters.incrementAndGet(a); });
    Thread t2 = Thread.ofPlatform().start(() -> { for (int i = 0; i < iterations; i++) counters.incrementAndGet(b); });
    t1.join(); t2.join();
    return counters.get(a) + counters.get(b);
}

void falseSharing() throws Exception {
    int it = 2_000_000;
    check(twoWriters(0, 1, it) == 2L * it, "each thread counted its own");
    long adjacent = micros(() -> { try { twoWriters(0, 1, it); } catch (InterruptedException e) { throw new RuntimeException(e); } });
    long apart = micros(() -> { try { twoWriters(0, 16, it); } catch (InterruptedException e) { throw new RuntimeException(e); } });
    System.out.printf("false sharing: two counters 8 bytes apart %,d us, 128 bytes apart %,d us%n", adjacent, apart);
}

laws();
overheadPerTask();
oversubscription();
falseSharing();
/exit
