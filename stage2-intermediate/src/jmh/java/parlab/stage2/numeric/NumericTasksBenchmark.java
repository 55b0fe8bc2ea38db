package parlab.stage2.numeric;

import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * s2e09 · Does a second core halve the time, and what does load imbalance cost?
 *
 * <p>Three jobs, each with a pool of 1 and of 2 threads; {@code ./lab bench numerical} prints each one's speedup
 * over its own 1-thread run:
 * <ul>
 *   <li>{@code monteCarlo}: 100 million samples (about half a second on one core, so that one run dwarfs the
 *       noise), every task costs the same. On 2 cores expect close to 2x;
 *   <li>{@code mandelbrotStatic}: the upper half of the set, 480 x 320 pixels, cut into one block of rows per
 *       thread. The first block holds about 94% of the iterations (the rows crossing the set's body), so the
 *       second thread finishes early and idles: expect hardly any gain (about 1.05x);
 *   <li>{@code mandelbrotDynamic}: the same image with rows handed out one at a time: close to 2x again.
 * </ul>
 * With 1 thread both Mandelbrot schedules do the same work; compare their 2-thread times directly too.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 10, time = 1)
@Fork(1)
public class NumericTasksBenchmark {
    private static final long SAMPLES = 100_000_000;
    private static final NumericTasks.View VIEW = NumericTasks.View.imbalanced(480, 320, 1_000);

    @Param({"1", "2"})
    public int threads;

    private ForkJoinPool pool;

    @Setup(Level.Trial)
    public void startPool() {
        pool = new ForkJoinPool(threads);
    }

    @TearDown(Level.Trial)
    public void closePool() {
        pool.close();
    }

    @Benchmark
    public double monteCarlo() {
        return NumericTasks.estimatePi(SAMPLES, 42, pool);
    }

    @Benchmark
    public int[][] mandelbrotStatic() {
        return NumericTasks.mandelbrotStatic(VIEW, pool);
    }

    @Benchmark
    public int[][] mandelbrotDynamic() {
        return NumericTasks.mandelbrot(VIEW, pool);
    }
}
