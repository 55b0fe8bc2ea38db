package parlab.stage2.workers;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ThreadFactory;

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
    // TODO: the state the worker and its callers share (its thread, paused or not, the counters), each field
    //  guarded or published so that the other threads see it

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
        // TODO: start one thread from the factory that runs the worker's loop (once only)
        throw new UnsupportedOperationException("TODO: start");
    }

    /** From now on, the worker starts no new item until {@link #resume}. */
    public void pause() {
        throw new UnsupportedOperationException("TODO: pause");
    }

    /** Lets a paused worker go on. */
    public void resume() {
        // TODO: wake a worker that waits for this
        throw new UnsupportedOperationException("TODO: resume");
    }

    /** Whether {@link #pause} was called without a {@link #resume} after it. */
    public boolean isPaused() {
        throw new UnsupportedOperationException("TODO: isPaused");
    }

    /** Asks the worker to stop by interrupting its thread; returns at once. */
    public void stop() {
        throw new UnsupportedOperationException("TODO: stop");
    }

    /** Waits up to {@code timeout} for the worker's thread to end; true if it has ended (or never started). */
    public boolean awaitTermination(Duration timeout) throws InterruptedException {
        throw new UnsupportedOperationException("TODO: awaitTermination");
    }

    /** Stops the worker and waits until its thread has ended. */
    @Override
    public void close() {
        // TODO: stop, then wait for the thread (without giving up on an interrupt, and without swallowing it)
        throw new UnsupportedOperationException("TODO: close");
    }

    /** The number of heartbeats so far. */
    public long heartbeats() {
        throw new UnsupportedOperationException("TODO: heartbeats");
    }

    /** The clock's instant at the last heartbeat, empty before the first. */
    public Optional<Instant> lastHeartbeat() {
        throw new UnsupportedOperationException("TODO: lastHeartbeat");
    }

    /** The number of items handled without failure. */
    public long processed() {
        throw new UnsupportedOperationException("TODO: processed");
    }

    /** The number of items whose handler threw a RuntimeException. */
    public long failures() {
        throw new UnsupportedOperationException("TODO: failures");
    }

    // TODO: the worker's loop: beat, wait while paused, wait for an item or one heartbeat interval, handle it;
    //  end when interrupted, wherever the interrupt finds the loop
}
