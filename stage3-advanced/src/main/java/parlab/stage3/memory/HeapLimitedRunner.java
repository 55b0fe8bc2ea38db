package parlab.stage3.memory;

import java.io.IOException;
import java.time.Duration;
import java.util.List;

/**
 * s3e06 · Memory limits, part 2: a child JVM with its own heap limit.
 *
 * <p>A budget (part 1) only counts what you tell it. Work that may blow up in ways you cannot predict (a parser
 * fed a hostile file, a library with a leak) is safer in a child JVM with its own {@code -Xmx}: when it runs out
 * of heap, it dies alone and the parent, with its own heap untouched, reports it and carries on. The hard part is
 * telling that death apart from the others.
 *
 * <p>The contract, which the tests pin down:
 * <ul>
 *   <li>{@link #command} runs {@link HungryChild} with the given arguments in a JVM with {@code -Xmx<heap>m} and
 *       {@value #EXIT_ON_OOM}, on this JVM's class path;
 *   <li>{@link #run} starts it, waits at most {@code timeout}, and says how it ended: {@link ChildOutcome.Completed}
 *       (exit code 0, with its stdout), {@link ChildOutcome.OutOfMemory} (exit code {@value #OOM_EXIT_CODE} and the
 *       text {@code java.lang.OutOfMemoryError} in its output), {@link ChildOutcome.Failed} (any other exit, with the
 *       end of its stderr), or {@link ChildOutcome.TimedOut} (killed at the timeout);
 *   <li>an exit code of 3 without an OutOfMemoryError is a plain failure: the child may use 3 for its own reasons;
 *   <li>a child that writes a lot on stdout or stderr never blocks on a full pipe; no child outlives {@link #run}.
 * </ul>
 *
 * <p>Baseline experiment: run {@code java -Xmx32m -cp ... parlab.stage3.memory.HungryChild oom-in-thread}
 * and look at its exit code: 0. The thread that ran out of heap died, the JVM did not, and nobody would know. Then
 * add {@value #EXIT_ON_OOM} and run it again.
 *
 * <p>Things to think about: where does the child's output go while you wait for it, and what happens to a child
 * that writes more than a pipe holds (64 KB) when nobody reads? Which facts together, and only together, say "out
 * of memory"? What must happen to a child you stop waiting for?
 */
public final class HeapLimitedRunner {
    /** The JVM flag that ends the child at its first OutOfMemoryError. */
    public static final String EXIT_ON_OOM = "-XX:+ExitOnOutOfMemoryError";
    /** The exit code of a JVM ended by {@value #EXIT_ON_OOM}. */
    public static final int OOM_EXIT_CODE = 3;

    private final int heapMegabytes;
    private final Duration timeout;

    public HeapLimitedRunner(int heapMegabytes, Duration timeout) {
        if (heapMegabytes < 8) {
            throw new IllegalArgumentException("a JVM needs a heap of at least 8 MB, was " + heapMegabytes);
        }
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("timeout must be positive, was " + timeout);
        }
        this.heapMegabytes = heapMegabytes;
        this.timeout = timeout;
    }

    /** The command line that runs {@link HungryChild} with {@code args} under this runner's heap limit. */
    public List<String> command(String... args) {
        // TODO: this JVM's java launcher, the heap limit, EXIT_ON_OOM, this JVM's class path, HungryChild, args
        throw new UnsupportedOperationException("TODO: command");
    }

    /** Runs {@link HungryChild} with {@code args} and reports how it ended. */
    public ChildOutcome run(String... args) throws IOException, InterruptedException {
        // TODO: start the command so that its stdout and stderr can never fill up and block it
        // TODO: wait at most `timeout`; a child still running then is killed (and waited for): TimedOut
        // TODO: exit code 0: Completed; 3 with java.lang.OutOfMemoryError in its output: OutOfMemory; else Failed
        throw new UnsupportedOperationException("TODO: run");
    }
}
