package parlab.stage2.primitives;

import java.util.concurrent.ThreadFactory;

/**
 * s2e03 · A phased simulation: heat spreading along a rod, computed in strips by several workers.
 *
 * <p>The rod is a 1-D grid of cells. In each step every inner cell gets a new value from its own and its two
 * neighbours' values of the step before ({@link Rule}, for example {@link #HEAT}); the two end cells keep their
 * values. Each worker owns a contiguous strip of the inner cells. A worker at the edge of its strip reads the
 * neighbouring strip's cells, so it must not start step {@code t + 1} before its neighbours have finished step
 * {@code t}, nor overwrite cells they still read: a barrier between the steps.
 *
 * <p>The contract of {@link #parallel}, which the tests pin down:
 * <ul>
 *   <li>the result equals {@link #sequential} exactly, for any number of workers;
 *   <li>no cell of step {@code t + 1} is computed before every cell of step {@code t} is done (the tests use a rule
 *       that records the order and lingers on one cell);
 *   <li>it uses {@code min(workers, cells - 2)} threads made by the given factory, and every one of them has ended
 *       when it returns; {@code initial} is not modified;
 *   <li>{@code workers < 1}, {@code steps < 0} or fewer than 2 cells is an {@link IllegalArgumentException}.
 * </ul>
 *
 * <p>Baseline: {@link #sequential}, which the tests compare against.
 *
 * <p>Things to think about: if a worker computes step {@code t + 1} in place while its neighbour still reads step
 * {@code t}, what does the neighbour see? Who swaps the two buffers, and when is it safe? What must happen to the
 * workers waiting at the barrier if one of them fails?
 */
public final class PhasedSimulation {
    private PhasedSimulation() {
    }

    /** The new value of inner cell {@code i} at {@code step}, from the cells of step {@code step - 1}. */
    @FunctionalInterface
    public interface Rule {
        double next(int step, double[] cells, int i);
    }

    /** Heat diffusion: each cell moves a quarter of the way towards the mean of its neighbours. */
    public static final Rule HEAT = (step, c, i) -> c[i] + 0.25 * (c[i - 1] - 2 * c[i] + c[i + 1]);

    /** The baseline: one thread, one step after another. */
    public static double[] sequential(double[] initial, int steps, Rule rule) {
        checkArguments(initial, steps, 1);
        double[] current = initial.clone();
        double[] next = initial.clone(); // the end cells never change
        for (int step = 1; step <= steps; step++) {
            for (int i = 1; i < current.length - 1; i++) {
                next[i] = rule.next(step, current, i);
            }
            double[] done = next;
            next = current;
            current = done;
        }
        return current;
    }

    /** The same simulation with {@code min(workers, cells - 2)} workers, each on a thread made by {@code factory}. */
    public static double[] parallel(double[] initial, int steps, int workers, Rule rule, ThreadFactory factory)
            throws InterruptedException {
        // TODO: checkArguments; split the inner cells [1, cells - 1) into min(workers, cells - 2) contiguous strips
        // TODO: per step, each worker computes its strip of `next` from `current`; nobody starts the next step
        //       (or overwrites a buffer) before every worker finished this one
        // TODO: start the workers from the factory, wait until all ended, and return the last step's cells
        throw new UnsupportedOperationException("TODO: parallel");
    }

    private static void checkArguments(double[] initial, int steps, int workers) {
        if (workers < 1) {
            throw new IllegalArgumentException("workers must be at least 1, was " + workers);
        }
        if (steps < 0) {
            throw new IllegalArgumentException("steps must not be negative, was " + steps);
        }
        if (initial.length < 2) {
            throw new IllegalArgumentException("a rod needs at least 2 cells, was " + initial.length);
        }
    }
}
