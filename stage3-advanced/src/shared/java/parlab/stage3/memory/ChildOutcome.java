package parlab.stage3.memory;

import java.time.Duration;

/**
 * How a heap-limited child JVM ended, as {@link HeapLimitedRunner#run} reports it. Each kind of ending is its own
 * type, so that a caller cannot mistake one for another: {@code switch (outcome) { case OutOfMemory oom -> ... }}.
 */
public sealed interface ChildOutcome {
    /** Exit code 0; {@code stdout} is everything the child printed there. */
    record Completed(String stdout) implements ChildOutcome {
    }

    /** The JVM was ended by an {@link OutOfMemoryError}; {@code detail} is the line that says so. */
    record OutOfMemory(int exitCode, String detail) implements ChildOutcome {
    }

    /** Any other non-zero exit; {@code stderrTail} is the end of what the child printed on stderr. */
    record Failed(int exitCode, String stderrTail) implements ChildOutcome {
    }

    /** The child was still running after {@code limit}, and has been killed. */
    record TimedOut(Duration limit) implements ChildOutcome {
    }
}
