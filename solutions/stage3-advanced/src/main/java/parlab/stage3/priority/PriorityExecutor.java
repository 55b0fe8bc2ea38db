package parlab.stage3.priority;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.PriorityQueue;
import java.util.concurrent.Callable;
import java.util.concurrent.Future;
import java.util.concurrent.FutureTask;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

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
 * <p>Reference solution. Ageing looks as if the order changed as time passes, but it does not: task A goes before
 * task B at time t when {@code pA + (t - sA)/step > pB + (t - sB)/step}, that is when
 * {@code sA - pA * step < sB - pB * step}, and t has dropped out. So each task gets a fixed key when it is submitted,
 * {@code submitTime - priority * agingStep} (a "virtual start time"), and an ordinary {@link PriorityQueue} ordered by
 * (key, sequence number) does the rest in O(log n). One lock guards the queue and the state; one condition wakes
 * workers for a new task or for shutdown.
 *
 * <p>Other ways: a {@code ThreadPoolExecutor} over a {@code PriorityBlockingQueue} gives strict priority without
 * ageing (and its {@code submit} wraps tasks in {@code FutureTask}s that are not {@code Comparable}, a classic trap);
 * discrete ageing that bumps queued tasks every tick needs a timer and a re-sort; multi-level queues with a share
 * per level (weighted fair queueing) bound starvation by design rather than by waiting.
 */
public final class PriorityExecutor implements AutoCloseable {
    public static final int LOWEST = 0;
    public static final int HIGHEST = 9;

    private record Entry(long key, long sequence, FutureTask<?> task) {
    }

    private final Clock clock;
    private final long agingStepNanos;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final PriorityQueue<Entry> queue = new PriorityQueue<>(    // guarded by lock
            (a, b) -> a.key() != b.key() ? Long.compare(a.key(), b.key()) : Long.compare(a.sequence(), b.sequence()));
    private final List<Thread> workers = new ArrayList<>();
    private long nextSequence;  // guarded by lock
    private boolean closed;     // guarded by lock: no new task
    private boolean stopNow;    // guarded by lock: drop the queue, leave at once

    public PriorityExecutor(int workers, Duration agingStep, Clock clock, ThreadFactory factory) {
        if (workers < 1) {
            throw new IllegalArgumentException("workers must be at least 1, was " + workers);
        }
        Objects.requireNonNull(agingStep, "agingStep");
        if (agingStep.isNegative() || agingStep.isZero()) {
            throw new IllegalArgumentException("agingStep must be positive, was " + agingStep);
        }
        this.clock = Objects.requireNonNull(clock, "clock");
        this.agingStepNanos = agingStep.toNanos();
        Objects.requireNonNull(factory, "factory");
        for (int i = 0; i < workers; i++) {
            this.workers.add(factory.newThread(this::work));
        }
        this.workers.forEach(Thread::start);
    }

    public <T> Future<T> submit(int priority, Callable<T> task) {
        if (priority < LOWEST || priority > HIGHEST) {
            throw new IllegalArgumentException("priority must be in [" + LOWEST + ", " + HIGHEST + "], was " + priority);
        }
        FutureTask<T> future = new FutureTask<>(Objects.requireNonNull(task, "task"));
        lock.lock();
        try {
            if (closed) {
                throw new RejectedExecutionException("the executor is shut down");
            }
            long key = clock.nanoTime() - priority * agingStepNanos;
            queue.add(new Entry(key, nextSequence++, future));
            changed.signal();
        } finally {
            lock.unlock();
        }
        return future;
    }

    /** How many tasks are waiting (not counting the running ones). */
    public int queued() {
        lock.lock();
        try {
            return queue.size();
        } finally {
            lock.unlock();
        }
    }

    private void work() {
        while (true) {
            FutureTask<?> task;
            lock.lock();
            try {
                while (!stopNow && queue.isEmpty() && !closed) {
                    changed.awaitUninterruptibly(); // workers stop through the flags, never by interrupt
                }
                if (stopNow || queue.isEmpty()) {
                    return; // shut down, and nothing left this worker may run
                }
                task = queue.poll().task();
            } finally {
                lock.unlock();
            }
            task.run(); // a FutureTask keeps the task's failure for its future; the worker lives on
            Thread.interrupted(); // an interrupt the task left behind must not hit the next task on this worker
        }
    }

    /** Refuses new tasks, runs the queued ones, and waits for every worker to end. */
    @Override
    public void close() {
        lock.lock();
        try {
            closed = true;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        joinWorkers();
    }

    /**
     * Refuses new tasks, cancels the queued ones, interrupts the running ones, and waits for every worker to end.
     *
     * @return how many queued tasks were cancelled without running
     */
    public int shutdownNow() {
        List<FutureTask<?>> dropped = new ArrayList<>();
        lock.lock();
        try {
            closed = true;
            stopNow = true;
            while (!queue.isEmpty()) {
                dropped.add(queue.poll().task());
            }
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        dropped.forEach(task -> task.cancel(false));
        workers.forEach(Thread::interrupt); // only running tasks notice: idle workers wait uninterruptibly
        joinWorkers();
        return dropped.size();
    }

    private void joinWorkers() {
        boolean interrupted = false;
        for (Thread worker : workers) {
            while (true) {
                try {
                    worker.join();
                    break;
                } catch (InterruptedException e) {
                    interrupted = true; // keep waiting: no worker may outlive the call; re-assert below
                }
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}
