package parlab.stage3.priority;

import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadFactory;

/**
 * s3e10 · Priority scheduling.
 *
 * <p>Urgent work first: a fixed set of workers takes the waiting task with the highest priority, and among tasks of
 * the same priority the one that came first. Strict priority has a well-known failure, starvation: under a steady
 * stream of urgent tasks a low-priority one never runs. The cure is ageing: the longer a task waits, the more urgent
 * it becomes, until it overtakes newcomers.
 *
 * <p>The contract, which the tests check on a fake clock:
 * <ul>
 *   <li>priorities go from {@link #LOWEST} to {@link #HIGHEST}; a task's effective priority is
 *       {@code priority + waited / agingStep}, where {@code waited} is the time on the {@link Clock} since its submit
 *       (a real number: no rounding);
 *   <li>a free worker takes the waiting task with the highest effective priority; on a tie, the one submitted
 *       first. So tasks of one priority run in submission order, and a task of priority {@code p} runs before any
 *       task of priority {@code q > p} submitted more than {@code (q - p) * agingStep} after it;
 *   <li>{@code submit} returns a {@link Future} that carries the task's result or failure; a failing task does not
 *       harm its worker;
 *   <li>{@link #close} refuses new tasks, runs every queued one, and returns once every worker thread has ended;
 *       {@link #shutdownNow} refuses new tasks, cancels the queued ones (their futures report it), interrupts the
 *       running ones, and likewise returns only once every worker has ended.
 * </ul>
 *
 * <p>Read the time only from the {@link Clock}. Build it on a lock and a condition of your own (not on a
 * {@code ThreadPoolExecutor}); all threads come from the given {@link ThreadFactory}.
 *
 * <p>Things to think about: the effective priorities change all the time while tasks wait; does the order of two
 * waiting tasks ever change? (Write down when A goes before B at time t, and see what happens to t.) A task may
 * return with its thread's interrupt status set: what must the worker do before the next task?
 */
public final class PriorityExecutor implements AutoCloseable {
    public static final int LOWEST = 0;
    public static final int HIGHEST = 9;

    public PriorityExecutor(int workers, Duration agingStep, Clock clock, ThreadFactory factory) {
        // TODO: validate workers >= 1 and agingStep > 0; start the workers, every one made by factory
        throw new UnsupportedOperationException("TODO: PriorityExecutor");
    }

    public <T> Future<T> submit(int priority, Callable<T> task) {
        // TODO: validate the priority; refuse after shutdown; queue a FutureTask in the right place; wake a worker
        throw new UnsupportedOperationException("TODO: submit");
    }

    /** How many tasks are waiting (not counting the running ones). */
    public int queued() {
        throw new UnsupportedOperationException("TODO: queued");
    }

    /** Refuses new tasks, runs the queued ones, and waits for every worker to end. */
    @Override
    public void close() {
        // TODO: refuse new tasks, wake every worker, join them all (an interrupt must not cut the wait short)
        throw new UnsupportedOperationException("TODO: close");
    }

    /**
     * Refuses new tasks, cancels the queued ones, interrupts the running ones, and waits for every worker to end.
     *
     * @return how many queued tasks were cancelled without running
     */
    public int shutdownNow() {
        // TODO: drop and cancel the queued tasks, interrupt the running ones, join every worker
        throw new UnsupportedOperationException("TODO: shutdownNow");
    }
}
