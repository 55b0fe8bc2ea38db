package parlab.stage2.primitives;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PhasedSimulationTest {

    /** A factory that remembers the threads it made. */
    static final class RecordingFactory implements ThreadFactory {
        final List<Thread> made = new CopyOnWriteArrayList<>();

        @Override
        public Thread newThread(Runnable task) {
            Thread thread = Thread.ofPlatform().daemon(true).name("strip-worker-" + made.size()).unstarted(task);
            made.add(thread);
            return thread;
        }

        boolean allEnded() throws InterruptedException {
            for (Thread thread : made) {
                if (!thread.join(Duration.ofSeconds(2))) {
                    return false;
                }
            }
            return true;
        }
    }

    static double[] rod(int cells, long seed) {
        Random random = new Random(seed);
        double[] rod = new double[cells];
        for (int i = 0; i < cells; i++) {
            rod[i] = random.nextDouble() * 100;
        }
        return rod;
    }

    @ParameterizedTest(name = "{0} cells, {1} steps, {2} workers")
    @CsvSource({"40, 300, 1", "40, 300, 2", "40, 300, 3", "41, 500, 4", "100, 200, 7", "5, 50, 8", "2, 10, 3",
            "30, 0, 2"})
    void theResultEqualsTheSequentialSimulation(int cells, int steps, int workers) throws InterruptedException {
        double[] initial = rod(cells, cells * 31L + steps);
        double[] copy = initial.clone();
        double[] expected = PhasedSimulation.sequential(initial, steps, PhasedSimulation.HEAT);
        RecordingFactory factory = new RecordingFactory();
        double[] actual = PhasedSimulation.parallel(initial, steps, workers, PhasedSimulation.HEAT, factory);
        assertThat(actual).as("rod of %d cells after %d steps with %d workers, against the sequential simulation",
                cells, steps, workers).containsExactly(expected);
        assertThat(initial).as("the initial cells after the simulation (must not be modified)").containsExactly(copy);
        int threads = steps == 0 ? factory.made.size() : Math.min(workers, cells - 2);
        assertThat(factory.made).as("threads made by the factory for %d inner cells and %d workers", cells - 2,
                workers).hasSize(threads);
        assertThat(factory.allEnded()).as("every worker thread ended after parallel returned").isTrue();
    }

    /**
     * A rule that checks the phases: computing a cell of step t + 1 before every cell of step t is done is recorded.
     * Cell 1 of step 1 lingers (up to 300 ms, or until some worker reaches step 2), so a worker that does not wait
     * for the others is caught every time, not by luck.
     */
    @Test
    void noCellOfTheNextStepIsComputedBeforeTheStepIsDone() throws InterruptedException {
        int cells = 20;
        int steps = 6;
        int inner = cells - 2;
        AtomicIntegerArray done = new AtomicIntegerArray(steps + 1);
        AtomicReference<String> violation = new AtomicReference<>();
        CountDownLatch secondStepStarted = new CountDownLatch(1);
        PhasedSimulation.Rule checked = (step, c, i) -> {
            if (step >= 2) {
                secondStepStarted.countDown();
            }
            if (step == 1 && i == 1) {
                try {
                    secondStepStarted.await(300, TimeUnit.MILLISECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            if (step > 1 && done.get(step - 1) < inner) {
                violation.compareAndSet(null, "cell " + i + " of step " + step + " was computed while only "
                        + done.get(step - 1) + " of " + inner + " cells of step " + (step - 1) + " were done");
            }
            double value = PhasedSimulation.HEAT.next(step, c, i);
            done.incrementAndGet(step);
            return value;
        };
        double[] initial = rod(cells, 7);
        double[] actual = PhasedSimulation.parallel(initial, steps, 3, checked, new RecordingFactory());
        assertThat(violation.get()).as("a worker ran ahead into the next step: every worker must wait for all "
                + "the others at the end of each step").isNull();
        assertThat(actual).as("the result").containsExactly(
                PhasedSimulation.sequential(initial, steps, PhasedSimulation.HEAT));
    }

    @Test
    void badArgumentsAreRejected() {
        double[] rod = rod(10, 1);
        ThreadFactory factory = new RecordingFactory();
        assertThatThrownBy(() -> PhasedSimulation.parallel(rod, 5, 0, PhasedSimulation.HEAT, factory))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("workers");
        assertThatThrownBy(() -> PhasedSimulation.parallel(rod, -1, 2, PhasedSimulation.HEAT, factory))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("steps");
        assertThatThrownBy(() -> PhasedSimulation.parallel(new double[1], 5, 2, PhasedSimulation.HEAT, factory))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("cells");
    }
}
