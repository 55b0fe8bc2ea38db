package parlab.stage2.workers;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * s2e07 · Long-running workers.
 *
 * <p>A service's workers do not run a task and end: each one takes items from a queue for as long as the service
 * lives. That raises questions a pool hides. How does a supervisor know a worker is alive and not stuck? How do
 * you pause one (a downstream system is in maintenance) without losing its items? How do you stop one that is
 * asleep in {@code take()}, or busy in a long item? And while there is nothing to do, does it cost anything?
 *
 * <p>The contract of {@link LongRunningWorker}, which the tests pin down:
 * <ul>
 *   <li>{@link #start} starts one thread, made by the given {@link ThreadFactory}, that hands the queue's items to
 *       the handler one at a time, in queue order; a second {@code start()} is an {@link IllegalStateException};
 *   <li>a handler that throws a {@link RuntimeException} costs only its item: {@link #failures} counts it and the
 *       worker goes on; {@link #processed} counts the items handled without failure;
 *   <li>heartbeats: the worker's own loop beats when it starts, after every item and at least once per
 *       {@code heartbeatInterval} while it waits (idle or paused); a beat adds one to {@link #heartbeats} and sets
 *       {@link #lastHeartbeat} to the given clock's {@code instant()}. Nothing else beats: while a handler hangs,
 *       the heartbeat stops, which is how a supervisor sees a stuck worker;
 *   <li>once {@link #pause} has returned, the worker starts no new item until {@link #resume}: items stay in the
 *       queue, except at most one that it was already waiting for, which it keeps and handles first after
 *       {@code resume()};
 *   <li>stop by interrupt: {@link #stop} interrupts the worker, and so does anyone else who interrupts its thread;
 *       it then ends promptly (well within a second, whatever the heartbeat interval) whether it is idle, paused, or
 *       inside a handler that honours interrupts (throws {@link InterruptedException}, or returns with the interrupt
 *       status still set); an interrupt is never swallowed;
 *   <li>waiting costs nothing: an idle or paused worker blocks, it does not spin (its thread's CPU time barely
 *       grows while it waits);
 *   <li>{@link #close} stops the worker and returns once its thread has ended.
 * </ul>
 *
 * <p>Things to think about: a blocking {@code take()} waits for free but cannot beat; a loop that polls the queue
 * without a timeout beats but burns a core. Which blocking call waits for "an item or the next beat, whichever
 * comes first"? How does a paused worker wait for {@code resume()} without spinning? Where can the worker be when
 * the interrupt arrives, and what does each of those places do with it?
 *
 * <p>Reference solution. The worker waits in exactly two places, both blocking with a timeout of one heartbeat
 * interval: {@code queue.poll(interval)} for an item, and {@code Condition.awaitNanos(interval)} for {@code
 * resume()}. Either returns after at most one interval, so the loop beats; neither uses CPU meanwhile; both throw
 * {@link InterruptedException} at once when the thread is interrupted, and so does every blocking call a
 * well-behaved handler makes. The loop also checks the interrupt status before each turn, for a handler that
 * returns with the status set instead of throwing. The exception is caught only at the top of the loop, where the
 * thread ends: stopping is what the interrupt asked for. {@code paused} is guarded by {@code lock}; the counters
 * are written only by the worker thread and published through atomics and a volatile field.
 *
 * <p>Other ways: a {@code volatile boolean running} flag alone cannot wake a worker asleep in {@code take()} (it is
 * the interrupt that does; a "poison pill" item put into the queue also works, but only once the worker reaches it,
 * behind every item before it). Pausing could block in {@code take()} on a second queue of "permits", or use a
 * {@link java.util.concurrent.Phaser}; a {@code synchronized}/{@code wait()} pair works as well as the Condition. A
 * supervisor that checks the heartbeats on a {@link java.util.concurrent.ScheduledExecutorService} is the other
 * half of this picture (s3e07 supervises whole JVMs by their heartbeats); a separate "heartbeat thread" inside the
 * worker would defeat the purpose, since it keeps beating while the worker is stuck.
 */
public final class LongRunningWorker<T> implements AutoCloseable {

    /** What the worker does with one item. It may block, and should honour interrupts. */
    @FunctionalInterface
    public interface Handler<T> {
        void handle(T item) throws InterruptedException;
    }

    private final BlockingQueue<T> queue;
    private final Handler<? super T> handler;
    private final ThreadFactory factory;
    private final InstantSource clock;
    private final Duration heartbeatInterval;

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition resumed = lock.newCondition();
    private boolean paused; // guarded by lock
    private Thread thread; // guarded by lock; set once by start()

    private final AtomicLong heartbeats = new AtomicLong(); // written by the worker thread only
    private volatile Instant lastHeartbeat; // likewise; null before the first beat
    private final AtomicLong processed = new AtomicLong();
    private final AtomicLong failures = new AtomicLong();

    /**
     * A worker, not yet started, that will hand the items of {@code queue} to {@code handler} on a thread made by
     * {@code factory}, beating at least every {@code heartbeatInterval} by {@code clock}.
     */
    public LongRunningWorker(BlockingQueue<T> queue, Handler<? super T> handler, ThreadFactory factory,
            InstantSource clock, Duration heartbeatInterval) {
        this.queue = Objects.requireNonNull(queue, "queue");
        this.handler = Objects.requireNonNull(handler, "handler");
        this.factory = Objects.requireNonNull(factory, "factory");
        this.clock = Objects.requireNonNull(clock, "clock");
        if (heartbeatInterval.isNegative() || heartbeatInterval.isZero()) {
            throw new IllegalArgumentException("heartbeatInterval must be positive, was " + heartbeatInterval);
        }
        this.heartbeatInterval = heartbeatInterval;
    }

    /** Starts the worker's thread. */
    public void start() {
        lock.lock();
        try {
            if (thread != null) {
                throw new IllegalStateException("this worker was already started");
            }
            thread = factory.newThread(this::loop);
            thread.start();
        } finally {
            lock.unlock();
        }
    }

    /** From now on, the worker starts no new item until {@link #resume}. */
    public void pause() {
        lock.lock();
        try {
            paused = true;
        } finally {
            lock.unlock();
        }
    }

    /** Lets a paused worker go on. */
    public void resume() {
        lock.lock();
        try {
            paused = false;
            resumed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Whether {@link #pause} was called without a {@link #resume} after it. */
    public boolean isPaused() {
        lock.lock();
        try {
            return paused;
        } finally {
            lock.unlock();
        }
    }

    /** Asks the worker to stop by interrupting its thread; returns at once. */
    public void stop() {
        Thread worker = worker();
        if (worker != null) {
            worker.interrupt();
        }
    }

    /** Waits up to {@code timeout} for the worker's thread to end; true if it has ended (or never started). */
    public boolean awaitTermination(Duration timeout) throws InterruptedException {
        Thread worker = worker();
        return worker == null || worker.join(timeout);
    }

    /** Stops the worker and waits until its thread has ended. */
    @Override
    public void close() {
        Thread worker = worker();
        if (worker == null) {
            return;
        }
        worker.interrupt();
        boolean interrupted = false;
        while (true) {
            try {
                worker.join();
                break;
            } catch (InterruptedException e) {
                interrupted = true; // finish closing, then re-assert the interrupt
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /** The number of heartbeats so far. */
    public long heartbeats() {
        return heartbeats.get();
    }

    /** The clock's instant at the last heartbeat, empty before the first. */
    public Optional<Instant> lastHeartbeat() {
        return Optional.ofNullable(lastHeartbeat);
    }

    /** The number of items handled without failure. */
    public long processed() {
        return processed.get();
    }

    /** The number of items whose handler threw a RuntimeException. */
    public long failures() {
        return failures.get();
    }

    private Thread worker() {
        lock.lock();
        try {
            return thread;
        } finally {
            lock.unlock();
        }
    }

    private void loop() {
        long interval = heartbeatInterval.toNanos();
        T held = null; // an item taken just as pause() came: handled first after resume()
        try {
            while (!Thread.currentThread().isInterrupted()) {
                beat();
                if (!awaitNotPaused(interval)) {
                    continue; // still paused after one interval: beat and wait again
                }
                if (held == null) {
                    held = queue.poll(interval, TimeUnit.NANOSECONDS);
                    if (held == null || isPaused()) {
                        continue; // idle for one interval, or paused while we waited for this item
                    }
                }
                T item = held;
                held = null;
                handle(item);
            }
        } catch (InterruptedException stopRequested) {
            Thread.currentThread().interrupt(); // keep the status for whatever runs after this loop on the thread
        }
    }

    private void beat() {
        lastHeartbeat = clock.instant();
        heartbeats.incrementAndGet();
    }

    /** Waits up to {@code nanos} while paused; true if not paused (any more). */
    private boolean awaitNotPaused(long nanos) throws InterruptedException {
        lock.lock();
        try {
            while (paused && nanos > 0) {
                nanos = resumed.awaitNanos(nanos);
            }
            return !paused;
        } finally {
            lock.unlock();
        }
    }

    private void handle(T item) throws InterruptedException {
        try {
            handler.handle(item);
            processed.incrementAndGet();
        } catch (RuntimeException failure) {
            failures.incrementAndGet();
        }
    }
}
