package parlab.stage3.autoscale;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

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
 * <p>Reference solution. One lock guards the queue and the counters, and one condition ({@code changed}) wakes
 * workers for every reason they might have to act: a task arrived, the target dropped, the pool closed. The rule a
 * worker applies under the lock is: retire if {@code live > target}; else take a task if there is one; else leave
 * if closed; else wait. Because retiring decrements {@code live} under the same lock, exactly the surplus retires.
 *
 * <p>Other ways: {@code ThreadPoolExecutor.setCorePoolSize} / {@code setMaximumPoolSize} do this for you: surplus
 * workers leave when {@code getTask()} sees too many, and idle ones are woken by {@code interruptIdleWorkers()},
 * which interrupts only workers whose per-worker lock is free (that is, not running a task).
 */
public final class ElasticPool implements AutoCloseable {
    private record Entry(Runnable task, long submittedAt) {
    }

    private final ScalingController controller;
    private final ThreadFactory factory;
    private final Clock clock;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final ArrayDeque<Entry> queue = new ArrayDeque<>(); // guarded by lock
    private final List<Thread> threads = new ArrayList<>();    // guarded by lock: started, maybe not yet ended
    private int target;      // guarded by lock
    private int live;        // guarded by lock: workers that have not retired
    private boolean closed;  // guarded by lock

    public ElasticPool(ScalingController controller, ThreadFactory factory, Clock clock) {
        this.controller = Objects.requireNonNull(controller, "controller");
        this.factory = Objects.requireNonNull(factory, "factory");
        this.clock = Objects.requireNonNull(clock, "clock");
        resize(controller.policy().minWorkers());
    }

    public void submit(Runnable task) {
        Objects.requireNonNull(task, "task");
        lock.lock();
        try {
            if (closed) {
                throw new RejectedExecutionException("the pool is closed");
            }
            queue.addLast(new Entry(task, clock.nanoTime()));
            changed.signal();
        } finally {
            lock.unlock();
        }
    }

    /** Asks the controller how big the pool should be now, resizes to that, and returns it. */
    public int tick() {
        int workers;
        int depth;
        Duration oldestWait;
        lock.lock();
        try {
            workers = target;
            depth = queue.size();
            oldestWait = queue.isEmpty() ? Duration.ZERO
                    : Duration.ofNanos(Math.max(0, clock.nanoTime() - queue.peekFirst().submittedAt()));
        } finally {
            lock.unlock();
        }
        int decided = controller.decide(workers, depth, oldestWait);
        if (decided != workers) {
            resize(decided);
        }
        return decided;
    }

    /** Sets the number of workers: starts the missing ones now; surplus ones retire after their current task. */
    public void resize(int workers) {
        if (workers < 1) {
            throw new IllegalArgumentException("a pool needs at least 1 worker, was asked for " + workers);
        }
        lock.lock();
        try {
            if (closed) {
                return;
            }
            target = workers;
            if (live > target) {
                changed.signalAll(); // idle workers wake up, and the surplus retires
            }
            threads.removeIf(t -> !t.isAlive());
            while (live < target) {
                Thread thread = factory.newThread(this::work);
                threads.add(thread);
                live++;
                thread.start();
            }
        } finally {
            lock.unlock();
        }
    }

    /** The number of workers the pool is heading for (retiring workers may still be finishing a task). */
    public int workers() {
        lock.lock();
        try {
            return target;
        } finally {
            lock.unlock();
        }
    }

    public int queueDepth() {
        lock.lock();
        try {
            return queue.size();
        } finally {
            lock.unlock();
        }
    }

    private void work() {
        while (true) {
            Runnable task = nextTaskOrRetire();
            if (task == null) {
                return;
            }
            try {
                task.run();
            } catch (RuntimeException e) {
                // a failing task must not take its worker with it; a real pool would log it or count it
            }
        }
    }

    /** The next task, or null when this worker must end (surplus, or closed with nothing left to do). */
    private Runnable nextTaskOrRetire() {
        lock.lock();
        try {
            while (true) {
                if (live > target || (closed && queue.isEmpty())) {
                    // No wake-up is lost here: a worker waits only while live <= target, and target drops only
                    // in resize(), which wakes every waiter; so a submit's signal() never lands on a worker that
                    // then retires instead of taking the task.
                    live--;
                    return null;
                }
                Entry next = queue.pollFirst();
                if (next != null) {
                    return next.task();
                }
                // Never interrupted by the pool: workers leave through `target` and `closed` only, so that
                // no task already taken can be lost.
                changed.awaitUninterruptibly();
            }
        } finally {
            lock.unlock();
        }
    }

    /** Refuses new tasks, runs the queued ones, and waits for every thread to end. */
    @Override
    public void close() {
        List<Thread> started;
        lock.lock();
        try {
            closed = true;
            changed.signalAll();
            started = List.copyOf(threads);
        } finally {
            lock.unlock();
        }
        boolean interrupted = false;
        for (Thread thread : started) {
            while (true) {
                try {
                    thread.join();
                    break;
                } catch (InterruptedException e) {
                    interrupted = true; // keep waiting: no thread may outlive close(); re-assert below
                }
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}
