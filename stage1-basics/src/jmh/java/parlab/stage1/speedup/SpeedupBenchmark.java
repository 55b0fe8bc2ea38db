package parlab.stage1.speedup;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * s1e06 · The same measurement in JMH, side by side with the hand-made harness.
 *
 * <p>{@link Workload#sequentialSum} against {@link Workload#parallelSum} on the same 2,000,000 elements that
 * {@link Speedup#main} times with the harness. {@code ./lab bench speedup} prints JMH's average time of each and
 * the speedup of {@code parallel} over {@code sequential}; run {@code Speedup.main} and compare the two speedups.
 * On 2 idle cores expect about 1.7–1.9x from both: the parallel stream splits the array over the common pool plus
 * the calling thread, and pays a little for splitting and joining. On a busy machine the parallel version can even
 * lose (measured at a load average of 10 on 2 cores: 46 ms sequential, 60 ms parallel, with wide error bars): a
 * second core that another process holds is no second core. JMH's numbers come with an error bar; if the
 * harness's speedup falls outside it, look for what the harness does not control (one JVM, JIT state carried over
 * from the first measurement to the second, a short run).
 *
 * <p>The returned sum goes back to JMH, which sinks it into a {@code Blackhole}: the work cannot be optimised away.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class SpeedupBenchmark {
    private long[] data;

    @Setup
    public void makeData() {
        data = Workload.data(Workload.SIZE, 42);
    }

    @Benchmark
    public long sequential() {
        return Workload.sequentialSum(data);
    }

    @Benchmark
    public long parallel() {
        return Workload.parallelSum(data);
    }
}
