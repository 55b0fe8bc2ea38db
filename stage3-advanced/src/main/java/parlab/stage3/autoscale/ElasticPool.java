package parlab.stage3.autoscale;

import java.util.Objects;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadFactory;

/**
 * s3e09 · Autoscaling worker pool, part 2: a pool that can change size while it works.
 *
 * <p>Growing a pool is easy: start threads. Shrinking it is the lesson: a worker may only leave between two tasks,
 * never with a task in its hands, and an idle worker blocked waiting for work must be woken to notice that it is
 * no longer needed. Meanwhile producers keep submitting, and not one task may be lost or run twice.
 *
 * <p>The contract:
 * <ul>
 *   <li>it starts {@code minWorkers} threads, all made by the given {@link ThreadFactory}; {@link #resize} and
 *       {@link #tick} change the number of workers, {@link #workers()} is the size it is heading for;
 *   <li>a worker beyond the size retires after its current task; a worker is never interrupted by the pool;
 *   <li>every submitted task runs exactly once, whatever the resizes; a task that throws does not kill its worker;
 *   <li>{@link #tick} reads the queue depth and the oldest task's wait (on the {@link Clock}, stamped at submit),
 *       asks the {@link ScalingController}, and resizes;
 *   <li>{@link #close} refuses new tasks, runs every task already queued, and returns once every thread the pool
 *       ever started has ended. After it, {@code submit} throws {@link RejectedExecutionException}.
 * </ul>
 *
 * <p>Not a {@code ThreadPoolExecutor} underneath: the queue, the workers and their loop are yours. One lock and one
 * condition are enough for all of it.
 *
 * <p>Things to think about: a worker is woken, finds it is surplus and leaves; what if the signal that woke it was
 * meant for a task that just arrived? When the size drops from 8 to 3, how do exactly 5 workers know they are the
 * ones to go?
 */
public final class ElasticPool implements AutoCloseable {
    private final ScalingController controller;
    private final ThreadFactory factory;
    private final Clock clock;

    public ElasticPool(ScalingController controller, ThreadFactory factory, Clock clock) {
        this.controller = Objects.requireNonNull(controller, "controller");
        this.factory = Objects.requireNonNull(factory, "factory");
        this.clock = Objects.requireNonNull(clock, "clock");
        // TODO: start minWorkers workers
        throw new UnsupportedOperationException("TODO: ElasticPool");
    }

    public void submit(Runnable task) {
        // TODO: refuse after close; queue the task with its submit time; wake one idle worker
        throw new UnsupportedOperationException("TODO: submit");
    }

    /** Asks the controller how big the pool should be now, resizes to that, and returns it. */
    public int tick() {
        // TODO: read the size, the queue depth and the oldest task's wait; decide; resize if it changed
        throw new UnsupportedOperationException("TODO: tick");
    }

    /** Sets the number of workers: starts the missing ones now; surplus ones retire after their current task. */
    public void resize(int workers) {
        // TODO: reject workers < 1; start the missing workers, or wake the idle ones so that the surplus retires
        throw new UnsupportedOperationException("TODO: resize");
    }

    /** The number of workers the pool is heading for (retiring workers may still be finishing a task). */
    public int workers() {
        throw new UnsupportedOperationException("TODO: workers");
    }

    public int queueDepth() {
        throw new UnsupportedOperationException("TODO: queueDepth");
    }

    /** Refuses new tasks, runs the queued ones, and waits for every thread to end. */
    @Override
    public void close() {
        // TODO: refuse new tasks, wake every worker, join every thread ever started (an interrupt must not cut it short)
        throw new UnsupportedOperationException("TODO: close");
    }
}
