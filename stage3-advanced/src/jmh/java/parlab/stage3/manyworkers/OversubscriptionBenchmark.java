package parlab.stage3.manyworkers;

import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * s3e12 · What do 16 or 64 CPU workers cost on a machine with 2 cores?
 *
 * <p>The same 20,000 CPU-bound units (about 10 µs of arithmetic each, no I/O, no locks) through
 * {@link ManyWorkers#run} with 2, 16 and 64 workers and a queue of 64. {@code ./lab bench many-workers} prints
 * each time and the "speedup" over 2 workers, which on 2 cores is at best 1.00x: more workers only take turns on
 * the same cores, and pay for it in thread start-up, context switches, cache misses and contention on the one
 * queue. On a quiet machine expect 16 and 64 workers to be no faster than 2, and 64 somewhat slower:
 * oversubscription with CPU-bound work is not a disaster, just never a gain. Run it with
 * {@code --jmh="-p workers=1,2,4"} to see where the gain stops. On a busy machine more workers can even look
 * faster: the kernel shares the cores per thread, so 16 threads take a bigger slice from the other programs than
 * 2 do, a gain for you at their expense.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class OversubscriptionBenchmark {
    private static final long UNITS = 20_000;

    @Param({"2", "16", "64"})
    public int workers;

    /** About ten microseconds of arithmetic. */
    static long burn(long unit) {
        long x = unit + 0x9E3779B97F4A7C15L;
        for (int i = 0; i < 3_000; i++) {
            x ^= x << 13;
            x ^= x >>> 7;
            x ^= x << 17;
        }
        return x & 0xFFFF;
    }

    @Benchmark
    public long sumOfUnits() throws InterruptedException {
        return ManyWorkers.run(LongStream.range(0, UNITS).boxed().iterator(), workers, 64,
                Thread.ofPlatform().factory(), OversubscriptionBenchmark::burn).sum();
    }
}
