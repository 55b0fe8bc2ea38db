package parlab.stage1.speedup;

import java.util.List;
import java.util.Objects;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * s1e06 · Measuring speedup.
 *
 * <p>"The parallel version is faster" is a claim about numbers, so before any more parallel code, a way to get
 * honest numbers. Timing one call with {@code System.nanoTime()} lies in several ways: the first calls run
 * interpreted code while the JIT compiles, a garbage collection or another process can stall any single run, and
 * the ratio of two such runs is noise divided by noise. A small harness fixes the worst of it: a few
 * <b>warm-up</b> runs that are not timed, then many <b>measured</b> runs, summarised by their <b>median</b>, which
 * one stalled run cannot drag the way it drags a mean.
 *
 * <p>From two measurements follow the numbers this workbook quotes everywhere:
 * <ul>
 *   <li><b>speedup</b> = baseline median / candidate median (2.0 = twice as fast);
 *   <li><b>efficiency</b> = speedup / workers (1.0 = every worker fully used);
 *   <li>the <b>Amdahl bound</b>: if a fraction {@code p} of the work can run in parallel, {@code n} workers give at
 *       most {@code 1 / ((1 - p) + p / n)}; and back again, the parallel fraction that a measured speedup implies
 *       (its complement {@code 1 - p} is the Karp–Flatt serial fraction).
 * </ul>
 *
 * <p>The contract, which the tests pin down on a fake clock (a {@link LongSupplier} that only moves when the test
 * says so, so every statistic is exact):
 * <ul>
 *   <li>{@link #measure} runs the task {@code warmups} times untimed, then {@code runs} times, each timed on its
 *       own by reading the clock just before and just after the task; warm-ups never reach the statistics;
 *   <li>the samples stay in run order; the median is the middle sample, or the mean of the two middle ones for an
 *       even count; min and max are exact;
 *   <li>bad arguments are an {@link IllegalArgumentException} that names the argument: {@code warmups < 0},
 *       {@code runs < 1}, an empty sample list, {@code workers < 1} ({@code < 2} for the implied fraction, which
 *       divides by {@code 1 - 1/n}), a parallel fraction outside {@code [0, 1]}, a speedup that is not positive.
 * </ul>
 * One more rule that no test can see: hand every result of the task to {@link #consume} (JMH's {@code Blackhole}
 * in miniature), or the JIT may find the work unused and drop it, and you time nothing.
 *
 * <p>Baseline experiment: {@link #main} measures {@link Workload#sequentialSum} against
 * {@link Workload#parallelSum} with this harness; {@code ./lab bench speedup} measures the same two methods with
 * JMH. Put the two side by side: on 2 otherwise idle cores both should report a speedup a little under 2x (on a
 * busy machine, much less). Where they disagree, ask what JMH does that this harness does not (fresh JVM forks,
 * iterations of a fixed length, a {@code Blackhole}, many more samples).
 *
 * <p>Things to think about: why is the minimum tempting and still not the number to report? What does an
 * efficiency of 0.6 on 2 cores tell you about the parallel fraction, and what would 16 cores give then? If the
 * task's result were thrown away, what could the JIT do to the work you are timing?
 */
public final class Speedup {
    private static volatile int sink;

    private Speedup() {
    }

    /**
     * Runs {@code task} {@code warmups} times without timing it, then {@code runs} times timed one by one on
     * {@code nanoClock}, and summarises the measured runs.
     */
    public static Measurement measure(LongSupplier nanoClock, int warmups, int runs, Supplier<?> task) {
        // TODO: validate warmups and runs
        // TODO: run the warm-ups untimed (but still consume their results)
        // TODO: time each measured run on its own with nanoClock, keeping the samples in run order
        // TODO: summarise the samples
        throw new UnsupportedOperationException("TODO: measure");
    }

    /** {@link #measure(LongSupplier, int, int, Supplier)} on the real clock. */
    public static Measurement measure(int warmups, int runs, Supplier<?> task) {
        return measure(System::nanoTime, warmups, runs, task);
    }

    /** The median, minimum and maximum of {@code samplesNanos}, which is left as it is. */
    public static Measurement summarize(List<Long> samplesNanos) {
        // TODO: reject an empty list
        // TODO: find the median on a sorted copy (odd and even counts differ), and the min and max
        throw new UnsupportedOperationException("TODO: summarize");
    }

    /** How many times faster the candidate is than the baseline, by their medians. */
    public static double speedup(Measurement baseline, Measurement candidate) {
        // TODO: compare the medians
        throw new UnsupportedOperationException("TODO: speedup");
    }

    /** The share of {@code workers} that a {@code speedup} actually used: 1.0 is perfect. */
    public static double efficiency(double speedup, int workers) {
        // TODO: validate, then relate speedup to workers
        throw new UnsupportedOperationException("TODO: efficiency");
    }

    /** Amdahl's law: the best speedup {@code workers} can give when {@code parallelFraction} of the work splits. */
    public static double amdahlBound(double parallelFraction, int workers) {
        // TODO: validate, then apply Amdahl's law
        throw new UnsupportedOperationException("TODO: amdahlBound");
    }

    /**
     * Amdahl's law solved for the parallel fraction: the {@code p} for which {@code amdahlBound(p, workers)} equals
     * the measured {@code speedup}. A superlinear speedup (cache effects) gives a value above 1.
     */
    public static double impliedParallelFraction(double speedup, int workers) {
        // TODO: validate, then solve speedup = 1 / ((1 - p) + p / workers) for p
        throw new UnsupportedOperationException("TODO: impliedParallelFraction");
    }

    /** Keeps a result alive, as JMH's {@code Blackhole} does, so that the work producing it cannot be skipped. */
    public static void consume(Object result) {
        sink ^= Objects.hashCode(result);
    }

    /** The harness on the task that {@code SpeedupBenchmark} measures with JMH: compare the two outputs. */
    public static void main(String[] args) {
        long[] data = Workload.data(Workload.SIZE, 42);
        int workers = Runtime.getRuntime().availableProcessors();
        Measurement sequential = measure(10, 30, () -> Workload.sequentialSum(data));
        Measurement parallel = measure(10, 30, () -> Workload.parallelSum(data));
        double speedup = speedup(sequential, parallel);
        System.out.printf("sequential  %s%n", sequential);
        System.out.printf("parallel    %s%n", parallel);
        System.out.printf("speedup %.2fx on %d cores, efficiency %.0f%%%n", speedup, workers,
                100 * efficiency(speedup, workers));
        if (workers >= 2 && speedup > 0) {
            double p = Math.clamp(impliedParallelFraction(speedup, workers), 0.0, 1.0);
            System.out.printf("implied parallel fraction %.3f; Amdahl bound for it on 4 / 16 / 64 cores: "
                    + "%.2fx / %.2fx / %.2fx%n", p, amdahlBound(p, 4), amdahlBound(p, 16), amdahlBound(p, 64));
        }
        System.out.println("the same two methods in JMH: ./lab bench speedup");
    }
}
