package parlab.stage1.speedup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SpeedupTest {
    private static final double EXACT = 1e-12;

    /** A clock that stands still unless a task moves it: every sample the harness takes is known in advance. */
    static final class FakeClock implements LongSupplier {
        private long now = 1_000_000; // any start will do: only differences count

        @Override
        public long getAsLong() {
            return now;
        }

        void advance(long nanos) {
            now += nanos;
        }
    }

    /** A task whose i-th call "takes" durations[i] nanoseconds on the fake clock. */
    static final class ScriptedTask implements Supplier<Object> {
        private final FakeClock clock;
        private final long[] durations;
        private int calls;

        ScriptedTask(FakeClock clock, long... durations) {
            this.clock = clock;
            this.durations = durations;
        }

        @Override
        public Object get() {
            if (calls >= durations.length) {
                throw new AssertionError("the task ran more than warmups + runs = " + durations.length + " times");
            }
            clock.advance(durations[calls]);
            return calls++;
        }

        int calls() {
            return calls;
        }
    }

    private static Measurement measure(int warmups, int runs, long... durations) {
        FakeClock clock = new FakeClock();
        ScriptedTask task = new ScriptedTask(clock, durations);
        Measurement measured = Speedup.measure(clock, warmups, runs, task);
        assertThat(task.calls()).as("task runs for %d warm-ups + %d measured runs", warmups, runs)
                .isEqualTo(warmups + runs);
        return measured;
    }

    @Test
    void samplesAreTheMeasuredRunsInRunOrder() {
        Measurement m = measure(0, 5, 50, 10, 40, 20, 30);
        assertThat(m.samplesNanos()).as("one sample per measured run, in the order the runs happened")
                .containsExactly(50L, 10L, 40L, 20L, 30L);
        assertThat(m.medianNanos()).as("median of 50, 10, 40, 20, 30").isEqualTo(30.0);
        assertThat(m.minNanos()).as("min").isEqualTo(10);
        assertThat(m.maxNanos()).as("max").isEqualTo(50);
    }

    @Test
    void warmUpsRunButNeverReachTheStatistics() {
        long hour = 3_600_000_000_000L;
        Measurement m = measure(3, 3, hour, hour, hour, 7, 5, 9);
        assertThat(m.samplesNanos())
                .as("samples, in run order, after 3 warm-ups of an hour each: warm-ups must not be timed")
                .containsExactly(7L, 5L, 9L);
        assertThat(m.medianNanos()).as("median, untouched by the warm-ups").isEqualTo(7.0);
        assertThat(m.maxNanos()).as("max, untouched by the warm-ups").isEqualTo(9);
    }

    @Test
    void aSingleRunIsItsOwnMedian() {
        Measurement m = measure(2, 1, 1_000, 1_000, 42);
        assertThat(m.samplesNanos()).as("samples").containsExactly(42L);
        assertThat(m.medianNanos()).as("median of one sample").isEqualTo(42.0);
        assertThat(m.minNanos()).as("min of one sample").isEqualTo(42);
        assertThat(m.maxNanos()).as("max of one sample").isEqualTo(42);
    }

    @Test
    void theMedianOfAnEvenCountIsTheMeanOfTheTwoMiddleSamples() {
        assertThat(measure(0, 4, 40, 10, 30, 20).medianNanos()).as("median of 40, 10, 30, 20 (middle: 20 and 30)")
                .isEqualTo(25.0);
        assertThat(measure(1, 2, 99, 2, 1).medianNanos()).as("median of 2 and 1: not rounded to a whole nanosecond")
                .isEqualTo(1.5);
    }

    @Test
    void oneStalledRunDoesNotMoveTheMedian() {
        Measurement m = measure(0, 5, 100, 101, 99, 50_000, 100);
        assertThat(m.medianNanos()).as("median with one run stalled 500x (a GC pause, say)").isEqualTo(100.0);
        assertThat(m.maxNanos()).as("the stall still shows in the max").isEqualTo(50_000);
    }

    @Test
    void summarizeLeavesItsInputInRunOrder() {
        List<Long> samples = new ArrayList<>(List.of(9L, 3L, 7L, 1L, 5L));
        Measurement m = Speedup.summarize(samples);
        assertThat(samples).as("the caller's list after summarize: sort a copy, not the input")
                .containsExactly(9L, 3L, 7L, 1L, 5L);
        assertThat(m.samplesNanos()).as("samples kept in run order").containsExactly(9L, 3L, 7L, 1L, 5L);
        assertThat(m.medianNanos()).as("median").isEqualTo(5.0);
        assertThat(m.minNanos()).as("min").isEqualTo(1);
        assertThat(m.maxNanos()).as("max").isEqualTo(9);
    }

    @Test
    void speedupIsTheRatioOfTheMedians() {
        Measurement baseline = Speedup.summarize(List.of(100L, 1_000L, 100L));
        Measurement candidate = Speedup.summarize(List.of(40L, 40L, 4L));
        assertThat(Speedup.speedup(baseline, candidate))
                .as("median 100 ns against median 40 ns (means would give 400 against 28)")
                .isCloseTo(2.5, within(EXACT));
        assertThat(Speedup.speedup(candidate, baseline)).as("the other way round: a slowdown")
                .isCloseTo(0.4, within(EXACT));
        assertThat(Speedup.speedup(baseline, baseline)).as("a measurement against itself")
                .isCloseTo(1.0, within(EXACT));
    }

    @Test
    void efficiencyIsSpeedupPerWorker() {
        assertThat(Speedup.efficiency(2.5, 4)).as("speedup 2.5 on 4 workers").isCloseTo(0.625, within(EXACT));
        assertThat(Speedup.efficiency(1.0, 1)).as("one worker, no speedup").isCloseTo(1.0, within(EXACT));
        assertThat(Speedup.efficiency(0.5, 2)).as("a slowdown on 2 workers").isCloseTo(0.25, within(EXACT));
    }

    @ParameterizedTest(name = "p = {0}, n = {1}: at most {2}x")
    @CsvSource({
        "0.0,   8,       1.0",
        "1.0,   8,       8.0",
        "0.5,   1,       1.0",
        "0.5,   2,       1.3333333333333333",
        "0.9,   10,      5.2631578947368425",
        "0.95,  1000000, 19.999620007219864",
    })
    void theAmdahlBoundFollowsTheFormula(double parallelFraction, int workers, double bound) {
        assertThat(Speedup.amdahlBound(parallelFraction, workers))
                .as("1 / ((1 - p) + p / n) for p = %s, n = %d", parallelFraction, workers)
                .isCloseTo(bound, within(1e-9));
    }

    @Test
    void theImpliedParallelFractionInvertsAmdahl() {
        for (double p : new double[] {0.0, 0.25, 0.5, 0.9, 0.99, 1.0}) {
            for (int n : new int[] {2, 3, 4, 16, 64}) {
                assertThat(Speedup.impliedParallelFraction(Speedup.amdahlBound(p, n), n))
                        .as("fraction implied by the Amdahl bound for p = %s, n = %d", p, n)
                        .isCloseTo(p, within(1e-9));
            }
        }
        assertThat(Speedup.impliedParallelFraction(1.6, 2)).as("speedup 1.6 on 2 workers")
                .isCloseTo(0.75, within(EXACT));
        assertThat(Speedup.impliedParallelFraction(1.0, 8)).as("no speedup at all: nothing ran in parallel")
                .isCloseTo(0.0, within(EXACT));
        assertThat(Speedup.impliedParallelFraction(2.2, 2))
                .as("a superlinear speedup (cache effects) is reported as is")
                .isGreaterThan(1.0);
    }

    @Test
    void measureRejectsBadCountsBeforeRunningTheTask() {
        FakeClock clock = new FakeClock();
        ScriptedTask task = new ScriptedTask(clock, 1, 1, 1);
        assertThatThrownBy(() -> Speedup.measure(clock, -1, 2, task), "negative warm-ups")
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("warmups");
        assertThatThrownBy(() -> Speedup.measure(clock, 1, 0, task), "no measured run")
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("runs");
        assertThat(task.calls()).as("task runs before the arguments were rejected").isZero();
        assertThatThrownBy(() -> Speedup.summarize(List.of()), "no sample to summarise")
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("sample");
    }

    @Test
    void theFormulasRejectNonsense() {
        assertThatThrownBy(() -> Speedup.efficiency(1.5, 0), "efficiency on 0 workers")
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("workers");
        assertThatThrownBy(() -> Speedup.efficiency(-1.0, 2), "a negative speedup")
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("speedup");
        assertThatThrownBy(() -> Speedup.amdahlBound(1.5, 4), "a parallel fraction above 1")
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("parallelFraction");
        assertThatThrownBy(() -> Speedup.amdahlBound(-0.1, 4), "a negative parallel fraction")
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("parallelFraction");
        assertThatThrownBy(() -> Speedup.amdahlBound(Double.NaN, 4), "a parallel fraction that is NaN")
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("parallelFraction");
        assertThatThrownBy(() -> Speedup.amdahlBound(0.5, 0), "Amdahl on 0 workers")
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("workers");
        assertThatThrownBy(() -> Speedup.impliedParallelFraction(1.5, 1),
                "implied fraction on 1 worker (1 - 1/n = 0)")
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("workers");
        assertThatThrownBy(() -> Speedup.impliedParallelFraction(0.0, 4), "a speedup of 0")
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("speedup");
    }
}
