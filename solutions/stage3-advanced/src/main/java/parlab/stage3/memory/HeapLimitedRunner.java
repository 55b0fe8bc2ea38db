package parlab.stage3.memory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

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
 * <p>Reference solution. The child's stdout and stderr go to temporary files ({@code ProcessBuilder.redirectOutput}
 * and {@code redirectError}), so no pipe can fill up and no reader thread is needed; they are read once the child
 * has ended, and deleted. {@code -XX:+ExitOnOutOfMemoryError} makes the JVM end at the first OutOfMemoryError,
 * with exit code 3 and a line "Terminating due to java.lang.OutOfMemoryError: ..." on its stdout: without it, an
 * OutOfMemoryError on a background thread kills only that thread, and a half-dead child carries on (exit code 0!).
 *
 * <p>Other ways: {@code -XX:+CrashOnOutOfMemoryError} also writes an hs_err file and a core dump (slow, large);
 * {@code -XX:+HeapDumpOnOutOfMemoryError} keeps the evidence for a post-mortem; in a container the kernel's OOM
 * killer ends the whole process with SIGKILL (exit code 137) when the container's memory limit is hit, which is
 * why {@code -Xmx} (or {@code -XX:MaxRAMPercentage}) must leave room below that limit for the JVM's non-heap memory.
 */
public final class HeapLimitedRunner {
    /** The JVM flag that ends the child at its first OutOfMemoryError. */
    public static final String EXIT_ON_OOM = "-XX:+ExitOnOutOfMemoryError";
    /** The exit code of a JVM ended by {@value #EXIT_ON_OOM}. */
    public static final int OOM_EXIT_CODE = 3;
    private static final String OOM_TEXT = "java.lang.OutOfMemoryError";
    private static final int TAIL_LINES = 20;

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
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-Xmx" + heapMegabytes + "m");
        command.add(EXIT_ON_OOM);
        command.addAll(List.of("-XX:TieredStopAtLevel=1", "-Xshare:auto", "-XX:+UseSerialGC"));
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(HungryChild.class.getName());
        command.addAll(List.of(args));
        return command;
    }

    /** Runs {@link HungryChild} with {@code args} and reports how it ended. */
    public ChildOutcome run(String... args) throws IOException, InterruptedException {
        Path stdout = Files.createTempFile("hungry-child-", ".out");
        Path stderr = Files.createTempFile("hungry-child-", ".err");
        try {
            Process process = new ProcessBuilder(command(args))
                    .redirectOutput(stdout.toFile())
                    .redirectError(stderr.toFile())
                    .start();
            process.getOutputStream().close(); // the child reads nothing: its stdin ends at once
            try {
                if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                    process.destroyForcibly();
                    process.waitFor();
                    return new ChildOutcome.TimedOut(timeout);
                }
            } catch (InterruptedException e) {
                process.destroyForcibly();
                throw e;
            }
            int code = process.exitValue();
            String out = Files.readString(stdout, StandardCharsets.UTF_8);
            String err = Files.readString(stderr, StandardCharsets.UTF_8);
            if (code == 0) {
                return new ChildOutcome.Completed(out);
            }
            String oomLine = (out + "\n" + err).lines().filter(l -> l.contains(OOM_TEXT)).findFirst().orElse(null);
            if (code == OOM_EXIT_CODE && oomLine != null) {
                return new ChildOutcome.OutOfMemory(code, oomLine.strip());
            }
            return new ChildOutcome.Failed(code, tail(err));
        } finally {
            Files.deleteIfExists(stdout);
            Files.deleteIfExists(stderr);
        }
    }

    private static String tail(String text) {
        List<String> lines = text.lines().toList();
        return String.join("\n", lines.subList(Math.max(0, lines.size() - TAIL_LINES), lines.size()));
    }
}
