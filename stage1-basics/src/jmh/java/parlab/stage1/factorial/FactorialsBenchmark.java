package parlab.stage1.factorial;

import java.math.BigInteger;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
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
 * s1e03 · Loop, tree, fork/join, parallelMultiply: where does the time of {@code n!} go?
 *
 * <p>Five ways to compute {@code n!} at {@code n} = 50,000 and 200,000 (about 213,000 and 973,000 digits);
 * {@code ./lab bench factorial} prints each time and the ratio against {@code productTree}, the sequential tree:
 * <ul>
 *   <li>{@code naiveLoop}: one number at a time. Quadratic: at 50,000 over twenty times slower than the tree, and
 *       the gap widens with {@code n} (at 200,000 one call takes over ten seconds, so it only runs at 50,000).
 *   <li>{@code productTree}: the baseline, one thread.
 *   <li>{@code productTreeParallelMultiply}: the same tree, each split combined with
 *       {@link BigInteger#parallelMultiply}, whose Toom-Cook subproducts run in the common pool. Only the few big
 *       multiplications at the top gain: about 1.2–1.4x on 2 cores at 200,000.
 *   <li>{@code forkJoin}: your fork/join tree with plain {@code multiply} on a pool with one worker per core. The
 *       halves run in parallel, but the root's multiplication, about a third of the total at 200,000, runs on one
 *       thread: on 2 cores expect about 1.3x.
 *   <li>{@code forkJoinParallelMultiply}: both at once ({@link Factorials#parallel(int, ForkJoinPool)}): the tree
 *       in parallel below, the big multiplications in parallel at the top. On 2 cores expect about 1.6x at
 *       200,000 (a little less at 50,000). Not 2x: even {@code parallelMultiply} leaves part of each huge
 *       multiplication (Toom-Cook's additions, shifts and exact divisions) to one thread, and the garbage collector
 *       shares the same 2 cores.
 * </ul>
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class FactorialsBenchmark {
    /** The n to compute, and a fork/join pool with one worker per core. */
    @State(Scope.Benchmark)
    public static class Input {
        @Param({"50000", "200000"})
        public int n;

        ForkJoinPool pool;

        @Setup
        public void setUp() {
            pool = new ForkJoinPool(Runtime.getRuntime().availableProcessors());
        }

        @TearDown
        public void tearDown() {
            pool.close();
        }
    }

    /** The naive loop is quadratic: at 200,000 one call takes over ten seconds, so it runs at 50,000 only. */
    @State(Scope.Benchmark)
    public static class NaiveInput {
        @Param({"50000"})
        public int n;
    }

    @Benchmark
    public BigInteger naiveLoop(NaiveInput input) {
        return Factorials.naive(input.n);
    }

    @Benchmark
    public BigInteger productTree(Input input) {
        return Factorials.productTree(input.n);
    }

    @Benchmark
    public BigInteger productTreeParallelMultiply(Input input) {
        return Factorials.productTree(input.n, BigInteger::parallelMultiply);
    }

    @Benchmark
    public BigInteger forkJoin(Input input) {
        return Factorials.parallel(input.n, input.pool, BigInteger::multiply);
    }

    @Benchmark
    public BigInteger forkJoinParallelMultiply(Input input) {
        return Factorials.parallel(input.n, input.pool);
    }
}
