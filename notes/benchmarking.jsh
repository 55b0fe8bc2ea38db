// Benchmarking parallel code — run with: jshell notes/benchmarking.jsh
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.IntToLongFunction;

void check(boolean ok, String message) { if (!ok) throw new AssertionError(message); }

// 1. Summaries. The median ignores a few wild runs (a GC pause, another process); the mean does not.
double median(double[] xs) {
    double[] s = xs.clone();
    Arrays.sort(s);
    int m = s.length / 2;
    return s.length % 2 == 1 ? s[m] : (s[m - 1] + s[m]) / 2;
}
double mean(double[] xs) { return Arrays.stream(xs).average().orElseThrow(); }

// Speedup S = T1 / Tp, efficiency E = S / p. Amdahl (fixed problem): S <= 1 / (s + (1 - s) / p) for serial part s.
// Gustafson (problem grows with p, time fixed): S = s + (1 - s) * p.
double amdahl(double serial, int p) { return 1 / (serial + (1 - serial) / p); }
double gustafson(double serial, int p) { return serial + (1 - serial) * p; }

void formulas() {
    double[] runs = {5, 1, 3, 100, 2};                  // ms; one run hit a 100 ms pause
    check(median(runs) == 3 && Math.abs(mean(runs) - 22.2) < 1e-9, "median 3 ms, mean 22.2 ms");
    check(median(new double[] {4, 1, 3, 2}) == 2.5, "even count: the mean of the two middle values");
    double t1 = 800, t2 = 450, speedup = t1 / t2, efficiency = speedup / 2;
    System.out.printf("runs %s ms: median %.1f, mean %.1f%n", Arrays.toString(runs), median(runs), mean(runs));
    System.out.printf("T1 = %.0f ms, T2 = %.0f ms: speedup %.2f, efficiency %.0f%%%n", t1, t2, speedup, 100 * efficiency);
    System.out.printf("serial part 10%%: Amdahl allows %.2fx on 2 cores and %.2fx on 64; Gustafson gives %.2fx and %.1fx%n",
            amdahl(0.1, 2), amdahl(0.1, 64), gustafson(0.1, 2), gustafson(0.1, 64));
    check(Math.abs(amdahl(0.1, 2) - 1 / 0.55) < 1e-12 && Math.abs(gustafson(0.1, 64) - 57.7) < 1e-9, "both laws, by hand");
}

// 2. A small harness: warm-ups first (the JIT compiles what runs often), then timed runs, each result
//    consumed so the JIT cannot drop the work as dead code.
long sink;                                          // every result lands here

double[] measure(int warmups, int runs, IntToLongFunction work, int threads) throws Exception {
    double[] millis = new double[runs];
    for (int r = -warmups; r < runs; r++) {
        long t0 = System.nanoTime();
        sink += runOn(threads, work);
        long elapsed = System.nanoTime() - t0;
        if (r >= 0) millis[r] = elapsed / 1e6;
    }
    return millis;
}

// Run work(part) for part = 0 .. threads-1 on a pool of that many threads and add the results.
// One thread goes through the same pool code as two: compare like with like.
long runOn(int threads, IntToLongFunction work) throws Exception {
    try (var pool = Executors.newFixedThreadPool(threads)) {
        var parts = new ArrayList<Future<Long>>();
        for (int k = 0; k < threads; k++) { int part = k; parts.add(pool.submit(() -> work.applyAsLong(part))); }
        long total = 0;
        for (var f : parts) total += f.get();
        return total;
    }
}

// The workload: a sum over 2,000,000 numbers, cut into `threads` blocks.
IntToLongFunction blocksOf(int threads) {
    int n = 2_000_000;
    return part -> {
        long s = 0;
        for (long i = (long) part * n / threads; i < (long) (part + 1) * n / threads; i++) s += i % 7 * i;
        return s;
    };
}

void warmUpAndMeasure() throws Exception {
    double[] cold = measure(0, 3, blocksOf(1), 1);
    double[] warm1 = measure(3, 5, blocksOf(1), 1);
    double[] warm2 = measure(3, 5, blocksOf(2), 2);
    System.out.printf("first 3 runs, cold: %s ms%n", Arrays.stream(cold).mapToObj(x -> String.format("%.1f", x)).toList());
    System.out.printf("after warm-up, 1 thread: median %.2f ms; 2 threads: median %.2f ms -> speedup %.2f, efficiency %.0f%%%n",
            median(warm1), median(warm2), median(warm1) / median(warm2), 50 * median(warm1) / median(warm2));
    int cores = Runtime.getRuntime().availableProcessors();
    System.out.printf("cores here: %d, so 2 threads can be at most %dx faster; the OS, the JIT and other processes share them%n",
            cores, Math.min(2, cores));
    check(runOn(1, blocksOf(1)) == runOn(2, blocksOf(2)), "measure only what is correct: 1 and 2 threads agree");
}

// 3. The clock itself: System.nanoTime() is monotonic, with a granularity of some nanoseconds to microseconds.
void clockGranularity() {
    long smallest = Long.MAX_VALUE;
    for (int i = 0; i < 1_000; i++) {
        long a = System.nanoTime(), b;
        while ((b = System.nanoTime()) == a) { }
        smallest = Math.min(smallest, b - a);
    }
    System.out.printf("smallest step of System.nanoTime(): %d ns%n", smallest);
    check(smallest > 0, "nanoTime moves forward");
}

formulas();
warmUpAndMeasure();
clockGranularity();
/exit
