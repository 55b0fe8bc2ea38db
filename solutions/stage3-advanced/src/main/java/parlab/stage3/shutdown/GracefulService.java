package parlab.stage3.shutdown;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.IntConsumer;

/**
 * s3e02 · Graceful shutdown.
 *
 * <p>A container runtime stops a service with SIGTERM, waits a grace period (Docker: 10 s, Kubernetes: 30 s), then
 * sends SIGKILL. What the service does in between decides whether work is lost. The JVM turns SIGTERM (and
 * {@link System#exit}) into its shutdown sequence: it runs every registered shutdown hook, then halts with exit code
 * 143 (128 + 15, "killed by SIGTERM") unless a hook halts first. Everything this service has <em>accepted</em> is a
 * promise, and a graceful shutdown keeps it.
 *
 * <p>The contract, which the tests pin down (in this JVM, and in a child JVM that really gets a SIGTERM):
 * <ul>
 *   <li>{@link #submit} accepts an item (returns {@code true}) until shutdown begins, and refuses it
 *       ({@code false}) from then on: once {@link #shutdown} has started, no item is accepted any more;
 *   <li>every accepted item is handed to the {@link Work} on one of {@code workers} threads, and its result written
 *       to the output as one line {@code <item> <result>\n}; lines from different workers never interleave;
 *   <li>{@link #shutdown} stops intake, then waits for the accepted items, at most {@code deadline}; it flushes
 *       the output and returns {@link ShutdownOutcome#DRAINED} when all were written, or
 *       {@link ShutdownOutcome#DEADLINE_PASSED} at the deadline (having interrupted the unfinished work and flushed
 *       what was finished). It never waits past the deadline, and leaves no worker thread behind;
 *   <li>{@link #shutdownHook} is an unstarted thread that runs {@link #shutdown} and hands the outcome's exit code
 *       (0 or 4) to {@code exit}; {@link #installShutdownHook} registers it with {@code Runtime::halt} as the exit,
 *       so that a SIGTERM ends the process with 0 after a clean drain and with 3 past the deadline.
 * </ul>
 *
 * <p>Reference solution. An {@link ExecutorService} already has the two halves of the contract: after
 * {@code shutdown()} it rejects new tasks but runs every task it had accepted, and {@code awaitTermination} waits
 * for them with a limit. The executor's own lock makes "accepted" and "intake stopped" mutually exclusive: an item
 * is either in its queue before the stop (and will run) or rejected. The output is guarded by its own monitor:
 * a line is written whole, and the final flush sees every finished line.
 *
 * <p>Why {@code halt} and not {@code exit}: {@code System.exit} called from a shutdown hook blocks forever (the
 * shutdown sequence is already running and waits for this very hook). {@code Runtime.halt} ends the process at
 * once with the code given, which is what a hook that has finished its job wants. The price: hooks still running
 * (a logging framework's, say) are cut short, so a real service flushes its logs in the same hook first.
 *
 * <p>Other ways: {@code sun.misc.Signal.handle(new Signal("TERM"), ...)} catches the signal without the shutdown
 * sequence (unsupported API); the main thread can own the drain while the hook only signals it and waits; a
 * {@code Phaser} or a counter of in-flight items replaces the executor when items are not tasks.
 */
public final class GracefulService {
    private final Duration deadline;
    private final Work work;
    /** The output; its monitor guards every write and the flush. */
    private final Writer out;
    private final ExecutorService workers;

    public GracefulService(int workers, Duration deadline, Work work, Writer out) {
        if (workers < 1) {
            throw new IllegalArgumentException("workers must be at least 1, was " + workers);
        }
        if (deadline.isNegative()) {
            throw new IllegalArgumentException("deadline must not be negative, was " + deadline);
        }
        this.deadline = deadline;
        this.work = Objects.requireNonNull(work, "work");
        this.out = Objects.requireNonNull(out, "out");
        this.workers = Executors.newFixedThreadPool(workers, Thread.ofPlatform().name("graceful-worker-", 0).factory());
    }

    /** Accepts {@code item} (true) unless shutdown has begun (false). An accepted item is always written. */
    public boolean submit(long item) {
        try {
            workers.execute(() -> process(item));
            return true;
        } catch (RejectedExecutionException stopped) {
            return false;
        }
    }

    private void process(long item) {
        String result;
        try {
            result = work.apply(item);
        } catch (InterruptedException e) {
            return; // given up at the deadline: the item is lost, and the outcome says so
        }
        synchronized (out) {
            try {
                out.write(item + " " + result + "\n");
            } catch (IOException e) {
                throw new UncheckedIOException("cannot write the result of item " + item, e);
            }
        }
    }

    /** Stops intake, finishes the accepted items within the deadline, flushes; never waits past the deadline. */
    public ShutdownOutcome shutdown() {
        workers.shutdown(); // intake stops here: from now on execute() rejects
        boolean drained;
        try {
            drained = workers.awaitTermination(deadline.toNanos(), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            drained = false;
        }
        if (!drained) {
            workers.shutdownNow(); // interrupt the unfinished work; its items are lost, and we say so
        }
        flush();
        return drained ? ShutdownOutcome.DRAINED : ShutdownOutcome.DEADLINE_PASSED;
    }

    private void flush() {
        synchronized (out) {
            try {
                out.flush();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot flush the output", e);
            }
        }
    }

    /** An unstarted thread that runs {@link #shutdown} and then calls {@code exit} with the outcome's exit code. */
    public Thread shutdownHook(IntConsumer exit) {
        return Thread.ofPlatform().name("graceful-shutdown-hook").unstarted(() -> {
            int code = 1; // a shutdown that failed (the flush threw) is neither clean nor a timeout
            try {
                code = shutdown().exitCode();
            } finally {
                exit.accept(code);
            }
        });
    }

    /** Registers {@link #shutdownHook} with {@code Runtime.getRuntime()::halt} as its exit. */
    public void installShutdownHook() {
        Runtime.getRuntime().addShutdownHook(shutdownHook(Runtime.getRuntime()::halt));
    }
}
