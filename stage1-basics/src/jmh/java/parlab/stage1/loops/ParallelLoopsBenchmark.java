package parlab.stage1.loops;

import java.util.concurrent.TimeUnit;
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
 * s1e01 · How much faster do more threads make a CPU-bound loop?
 *
 * <p>Counts the primes in a window of 200,000 numbers above one billion, where every number costs about the same
 * (trial division up to ~31,600), so equal blocks mean equal work. The same call with 1, 2 and 4 threads:
 * {@code ./lab bench parallel-loops} prints each time and the speedup over 1 thread. On 2 cores expect close to
 * 2x for 2 threads, and nothing more for 4: threads beyond the core count only take turns.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class ParallelLoopsBenchmark {
    private static final long FROM = 1_000_000_000L;
    private static final long TO = FROM + 200_000;

    @Param({"1", "2", "4"})
    public int threads;

    @Benchmark
    public long countPrimes() {
        return ParallelLoops.countPrimes(FROM, TO, threads, Thread.ofPlatform().factory());
    }
}
