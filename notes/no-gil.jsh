// No GIL: what limits Java threads instead — run with: jshell notes/no-gil.jsh
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.IntConsumer;

void check(boolean ok, String message) { if (!ok) throw new AssertionError(message); }

// Start n platform threads running the same body, and wait for all of them.
void runThreads(int n, IntConsumer body) throws InterruptedException {
    var threads = new Thread[n];
    for (int i = 0; i < n; i++) { int id = i; threads[i] = Thread.ofPlatform().start(() -> body.accept(id)); }
    for (var t : threads) t.join();
}

// 1. Two threads execute Java code at the same time. Under a GIL, threads running interpreted code could never
//    use more CPU time together than the wall-clock time; here they can use up to cores x wall time.
long spin(long iterations) {
    long x = 0;
    for (long i = 0; i < iterations; i++) x += (i ^ (x >>> 3)) & 7;
    return x;
}

void twoThreadsAtOnce() throws InterruptedException {
    var mx = ManagementFactory.getThreadMXBean();
    long[] cpu = new long[2], result = new long[2];
    long start = System.nanoTime();
    runThreads(2, id -> {
        long c0 = mx.getCurrentThreadCpuTime();
        result[id] = spin(30_000_000);
        cpu[id] = mx.getCurrentThreadCpuTime() - c0;
    });
    long wall = System.nanoTime() - start;
    System.out.printf("2 threads: %.0f ms of CPU time in %.0f ms of wall time -> %.1f cores busy (machine has %d)%n",
            (cpu[0] + cpu[1]) / 1e6, wall / 1e6, (double) (cpu[0] + cpu[1]) / wall, Runtime.getRuntime().availableProcessors());
    check(result[0] == result[1] && result[0] == spin(30_000_000), "both threads computed the same, correct value");
}

// 2. No GIL also means no accidental atomicity: count++ is read, add, write, and two threads interleave.
class Counter { int plain; }

void lostUpdates() throws InterruptedException {
    var racy = new Counter();
    var atomic = new AtomicLong();
    var adder = new LongAdder();
    runThreads(2, id -> {
        for (int i = 0; i < 1_000_000; i++) { racy.plain++; atomic.incrementAndGet(); adder.increment(); }
    });
    System.out.printf("2 x 1,000,000 increments: plain int %,d (may lose updates), AtomicLong %,d, LongAdder %,d%n",
            racy.plain, atomic.get(), adder.sum());
    check(racy.plain <= 2_000_000, "a racy counter can lose updates but never invent them");
    check(atomic.get() == 2_000_000 && adder.sum() == 2_000_000, "atomic counters lose nothing");
}

// 3. Amdahl's law: a program whose parallel part is p (0..1) runs at most 1 / ((1 - p) + p / n) times faster on n cores.
double amdahl(double p, int n) { return 1 / ((1 - p) + p / n); }

void amdahlBounds() {
    for (double p : new double[] {0.5, 0.9, 0.99})
        System.out.printf("parallel part %.0f%%: at most %.2fx on 2 cores, %.2fx on 16, never more than %.0fx%n",
                100 * p, amdahl(p, 2), amdahl(p, 16), 1 / (1 - p));
    check(Math.abs(amdahl(0.9, 2) - 1 / 0.55) < 1e-12, "90% parallel on 2 cores: 1 / (0.1 + 0.45) = 1.82x");
    check(amdahl(0.9, 1_000_000) < 10, "90% parallel never reaches 10x, whatever the core count");
}

// 4. The JVM does work of its own beside yours, on the same cores: garbage collection and JIT compilation.
void jvmOwnWork() {
    var gcs = ManagementFactory.getGarbageCollectorMXBeans();
    long collections = gcs.stream().mapToLong(GarbageCollectorMXBean::getCollectionCount).sum();
    var jit = ManagementFactory.getCompilationMXBean();
    System.out.printf("garbage collectors %s: %d collections so far; JIT (%s): %d ms of compilation so far%n",
            gcs.stream().map(GarbageCollectorMXBean::getName).toList(), collections, jit.getName(), jit.getTotalCompilationTime());
    check(!gcs.isEmpty(), "every JVM has a garbage collector");
}

twoThreadsAtOnce();
lostUpdates();
amdahlBounds();
jvmOwnWork();
/exit
