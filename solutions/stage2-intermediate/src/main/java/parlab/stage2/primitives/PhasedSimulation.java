package parlab.stage2.primitives;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.CyclicBarrier;
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
 * <p>Reference solution: two buffers, {@code current} and {@code next}. Workers compute their strip of
 * {@code next} from {@code current}, then wait at a {@link CyclicBarrier}; its barrier action, run by the last
 * worker to arrive while the others still wait, swaps the two buffers. The barrier is a happens-before edge, so
 * every worker sees the others' writes of the finished step, and nobody writes a buffer that somebody still reads.
 *
 * <p>Other ways: a {@link java.util.concurrent.Phaser} does the same and lets workers join and leave between
 * phases; {@code arriveAndAwaitAdvance()} replaces {@code await()}. Starting new threads (or a parallel stream) for
 * every step also separates the steps, at the price of a thread start-up per step.
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
        checkArguments(initial, steps, workers);
        int inner = initial.length - 2;
        int strips = Math.min(workers, inner);
        if (strips == 0 || steps == 0) {
            return initial.clone();
        }
        double[][] buffers = {initial.clone(), initial.clone()}; // [0] = current, [1] = next; swapped by the barrier
        CyclicBarrier stepDone = new CyclicBarrier(strips, () -> {
            double[] done = buffers[1];
            buffers[1] = buffers[0];
            buffers[0] = done;
        });
        Throwable[] failure = new Throwable[strips];
        List<Thread> threads = new ArrayList<>();
        for (int s = 0; s < strips; s++) {
            int from = 1 + (int) ((long) inner * s / strips);
            int to = 1 + (int) ((long) inner * (s + 1) / strips);
            int slot = s;
            threads.add(factory.newThread(() -> {
                try {
                    for (int step = 1; step <= steps; step++) {
                        double[] current = buffers[0];
                        double[] next = buffers[1];
                        for (int i = from; i < to; i++) {
                            next[i] = rule.next(step, current, i);
                        }
                        stepDone.await();
                    }
                } catch (InterruptedException | BrokenBarrierException e) {
                    failure[slot] = e;
                    stepDone.reset(); // breaks the barrier for the others, so that nobody waits forever
                } catch (Throwable t) {
                    failure[slot] = t;
                    stepDone.reset();
                }
            }));
        }
        threads.forEach(Thread::start);
        for (Thread thread : threads) {
            thread.join();
        }
        for (Throwable t : failure) {
            if (t instanceof RuntimeException unchecked) {
                throw unchecked;
            }
            if (t instanceof Error error) {
                throw error;
            }
        }
        for (Throwable t : failure) {
            if (t != null && !(t instanceof BrokenBarrierException)) {
                throw new IllegalStateException("a worker failed", t);
            }
        }
        return buffers[0];
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
