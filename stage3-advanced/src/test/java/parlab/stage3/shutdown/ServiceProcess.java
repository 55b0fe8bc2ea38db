package parlab.stage3.shutdown;

import java.io.IOException;
import java.io.InputStreamReader;
import java.io.BufferedReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import parlab.testing.ChildJvm;

/**
 * The tests' handle on a {@link ServiceMain} child JVM: sends requests, collects every stdout line on a reader
 * thread, and waits for a given line without sleeping. Closing it destroys the child (SIGTERM, then SIGKILL).
 */
final class ServiceProcess implements AutoCloseable {
    private static final List<String> JVM_OPTIONS = List.of("-Xmx32m", "-XX:TieredStopAtLevel=1", "-Xshare:auto",
            "-XX:+UseSerialGC");
    private static final String EOF = "\u0000EOF";

    private final Process process;
    private final Path stderr;
    private final OutputStream stdin;
    private final LinkedBlockingQueue<String> incoming = new LinkedBlockingQueue<>();
    private final List<String> seen = new ArrayList<>();
    private final Thread reader;
    private boolean ended;

    private ServiceProcess(Process process, Path stderr) {
        this.process = process;
        this.stderr = stderr;
        this.stdin = process.getOutputStream();
        this.reader = Thread.ofPlatform().name("parlab-service-stdout").start(() -> {
            try (var in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line = in.readLine(); line != null; line = in.readLine()) {
                    incoming.add(line);
                }
            } catch (IOException ignored) {
                // the child is gone
            } finally {
                incoming.add(EOF);
            }
        });
    }

    static ServiceProcess start(Path dir, Path output, int workers, Duration deadline) throws IOException {
        Path stderr = dir.resolve("service-stderr.txt");
        Process process = new ProcessBuilder(ChildJvm.command(ServiceMain.class, JVM_OPTIONS, output.toString(),
                String.valueOf(workers), String.valueOf(deadline.toMillis())))
                .redirectError(stderr.toFile())
                .start();
        return new ServiceProcess(process, stderr);
    }

    Process process() {
        return process;
    }

    /**
     * Sends SIGTERM, as a container runtime does. Not {@code process.destroy()}: that sends the same signal but also
     * closes our ends of the child's pipes, so the child would see its stdin end and we could not read its answers.
     */
    void sigterm() {
        process.toHandle().destroy();
    }

    /** Sends one request line; false if the child no longer reads. */
    boolean send(String line) {
        try {
            stdin.write((line + "\n").getBytes(StandardCharsets.UTF_8));
            stdin.flush();
            return true;
        } catch (IOException gone) {
            return false;
        }
    }

    /** Waits until a line equal to {@code expected} has been printed; fails if the child ends or time runs out. */
    void await(String expected, Duration limit) throws InterruptedException {
        if (next(expected::equals, limit) == null) {
            throw new AssertionError(ended
                    ? "the service process ended before it printed '" + expected + "'" + exitSummary()
                    : "the service process did not print '" + expected + "' within " + limit.toMillis() + " ms");
        }
    }

    /** The next line (from now on or already seen) matching {@code wanted}, or null at EOF or after {@code limit}. */
    String next(Predicate<String> wanted, Duration limit) throws InterruptedException {
        for (String line : seen) {
            if (wanted.test(line)) {
                return line;
            }
        }
        long deadline = System.nanoTime() + limit.toNanos();
        while (!ended) {
            String line = incoming.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
            if (line == null) {
                return null;
            }
            if (line.equals(EOF)) {
                ended = true;
                return null;
            }
            seen.add(line);
            if (wanted.test(line)) {
                return line;
            }
        }
        return null;
    }

    /** Whether the child's stdout has ended (seen by {@link #next}). */
    boolean ended() {
        return ended;
    }

    /** Every stdout line of the child, once it has ended. */
    List<String> allLines() throws InterruptedException {
        next(line -> false, Duration.ofSeconds(5));
        return List.copyOf(seen);
    }

    /** Waits for the exit; null if the child is still running after {@code limit}. */
    Integer waitFor(Duration limit) throws InterruptedException {
        return process.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS) ? process.exitValue() : null;
    }

    String exitSummary() {
        try {
            process.waitFor(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        String code = process.isAlive() ? "still running" : "exit code " + process.exitValue();
        return " (" + code + "); its stderr: " + stderrTail();
    }

    String stderrTail() {
        try {
            List<String> lines = Files.readAllLines(stderr);
            return lines.isEmpty() ? "(empty)"
                    : String.join("\n", lines.subList(Math.max(0, lines.size() - 8), lines.size()));
        } catch (IOException e) {
            return "(unreadable: " + e + ")";
        }
    }

    @Override
    public void close() throws InterruptedException {
        try {
            stdin.close();
        } catch (IOException ignored) {
            // already gone
        }
        ChildJvm.destroy(process.toHandle());
        reader.join(5_000);
    }
}
