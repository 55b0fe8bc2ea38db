package parlab.stage2.arrays;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Group;
import org.openjdk.jmh.annotations.GroupThreads;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * s2e04 · False sharing, measured (after JMH's own {@code JMHSample_22_FalseSharing}).
 *
 * <p>Two threads, each adding 1 to its own slot of one {@link PerThreadCounters}, as fast as they can; one JMH group
 * per layout, so the two threads of a group share one instance. They share no data: each slot has a single writer.
 * {@code unpadded} (the baseline) puts the two slots side by side, in one cache line; {@code padded} puts them 16
 * longs apart. {@code ./lab bench shared-arrays} prints the time per add and the speedup of padding.
 *
 * <p>What to expect on 2 cores: the padded group several times faster (3-10x is common on x86), because in the
 * unpadded one every add by one core invalidates the line in the other core's cache, and the next add there has to
 * fetch it back. On a machine whose two "cores" are hyper-threads of one physical core (they share the L1 cache) the
 * gap mostly disappears: false sharing is a property of the hardware, which is why it has to be measured. Measured
 * on the workbook's 2-core VM, three forks each, minutes apart: padded 8.0 ± 0.4 against unpadded 16.0 ± 1.5 ns per
 * add (2.0x), then 2.9 ± 1.6 against 8.7 ± 3.0 (3.1x). The forks differ (padded 1.6, 2.0 and 4.9 ns in one run),
 * which is why there are three.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(3) // where the two threads land differs from one JVM to the next; one fork alone measured 1.26x ± 7.6 here
public class FalseSharingBenchmark {

    @State(Scope.Group)
    public static class Unpadded {
        final PerThreadCounters counters = new PerThreadCounters(2, PerThreadCounters.UNPADDED);
    }

    @State(Scope.Group)
    public static class Padded {
        final PerThreadCounters counters = new PerThreadCounters(2, PerThreadCounters.PADDED);
    }

    @Benchmark
    @Group("unpadded")
    @GroupThreads(1)
    public void unpaddedThread0(Unpadded s) {
        s.counters.add(0, 1);
    }

    @Benchmark
    @Group("unpadded")
    @GroupThreads(1)
    public void unpaddedThread1(Unpadded s) {
        s.counters.add(1, 1);
    }

    @Benchmark
    @Group("padded")
    @GroupThreads(1)
    public void paddedThread0(Padded s) {
        s.counters.add(0, 1);
    }

    @Benchmark
    @Group("padded")
    @GroupThreads(1)
    public void paddedThread1(Padded s) {
        s.counters.add(1, 1);
    }
}
