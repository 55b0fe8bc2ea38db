package parlab.stage3.shutdown;

import java.io.Writer;
import java.time.Duration;
import java.util.Objects;
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
 * <p>Baseline experiment: a service without a hook. Once {@link #submit} works, leave
 * {@link #installShutdownHook} empty for a moment and run {@link ServiceMain} by hand ({@code java -cp ...
 * parlab.stage3.shutdown.ServiceMain out.txt 2 5000}), type {@code item 1 3000}, then {@code kill <pid>} from
 * another terminal: the process is gone at once with exit code 143, and out.txt is empty. The accepted item and
 * the 64 KB write buffer went down with it.
 *
 * <p>Things to think about: what must happen first when the signal comes, so that nothing accepted afterwards is
 * forgotten? What may a shutdown hook call to end the process with the code it chose, and what must it never call?
 * (Try {@code System.exit(0)} inside a hook once, and take a thread dump.) Which class in
 * {@code java.util.concurrent} already stops accepting tasks while finishing those it has?
 */
public final class GracefulService {
    private final Duration deadline;
    private final Work work;
    private final Writer out;

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
        // TODO: start `workers` worker threads (or a pool of them) that will process the accepted items
    }

    /** Accepts {@code item} (true) unless shutdown has begun (false). An accepted item is always written. */
    public boolean submit(long item) {
        // TODO: accept the item for a worker, which calls work.apply(item) and writes "<item> <result>\n" whole
        // TODO: once shutdown has begun, refuse it (false), with no gap in which an item is accepted but never run
        throw new UnsupportedOperationException("TODO: submit");
    }

    /** Stops intake, finishes the accepted items within the deadline, flushes; never waits past the deadline. */
    public ShutdownOutcome shutdown() {
        // TODO: stop intake first, then wait for the accepted items, but not longer than the deadline
        // TODO: past the deadline, interrupt the unfinished work; in both cases flush what was written
        throw new UnsupportedOperationException("TODO: shutdown");
    }

    /** An unstarted thread that runs {@link #shutdown} and then calls {@code exit} with the outcome's exit code. */
    public Thread shutdownHook(IntConsumer exit) {
        // TODO: a thread (not started) whose run() shuts down and passes the outcome's exit code to exit
        throw new UnsupportedOperationException("TODO: shutdownHook");
    }

    /** Registers {@link #shutdownHook} with {@code Runtime.getRuntime()::halt} as its exit. */
    public void installShutdownHook() {
        // TODO: register the hook with the Runtime, ending the process with halt(code) when it is done
        throw new UnsupportedOperationException("TODO: installShutdownHook");
    }
}
