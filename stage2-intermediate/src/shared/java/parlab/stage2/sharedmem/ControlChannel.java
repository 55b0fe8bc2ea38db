package parlab.stage2.sharedmem;

import java.io.BufferedInputStream;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The pipe between the parent and a {@link ChildMain} child JVM, for small control messages only: one line at a
 * time each way. Plumbing, not the lesson (s1e07 was about this): use it, there is nothing to change here.
 *
 * <p>{@link #start} starts the child on this JVM's launcher and class path with a small heap (so that a child
 * that copies a large segment onto its heap runs out of memory), {@link #send} writes one line to its stdin,
 * {@link #receive} waits a limited time for one line from its stdout, and {@link #close} ends the child and
 * waits until it is gone. Every byte that crosses the pipe either way is counted, per channel and in total for
 * this JVM, so that the tests can see how much travelled through it.
 */
public final class ControlChannel implements AutoCloseable {
    /** The child's JVM options: a heap far smaller than the arrays the tests share. */
    public static final List<String> CHILD_JVM_OPTIONS =
            List.of("-Xmx32m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xshare:auto");
    private static final Duration GRACE = Duration.ofMillis(500);
    private static final String END = new String("end of stdout"); // identity marks the end
    private static final AtomicLong TOTAL_SENT = new AtomicLong();
    private static final AtomicLong TOTAL_RECEIVED = new AtomicLong();

    private final Process process;
    private final OutputStream stdin;
    private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
    private final Deque<String> stderrTail = new ArrayDeque<>();
    private final Thread stdoutReader;
    private final Thread stderrReader;
    private final AtomicLong sent = new AtomicLong();
    private final AtomicLong received = new AtomicLong();

    private ControlChannel(Process process) {
        this.process = process;
        this.stdin = process.getOutputStream();
        this.stdoutReader = Thread.ofPlatform().name("shm-control-stdout-" + process.pid()).daemon()
                .start(this::readStdout);
        this.stderrReader = Thread.ofPlatform().name("shm-control-stderr-" + process.pid()).daemon()
                .start(this::readStderr);
    }

    /** Starts a {@link ChildMain} child JVM that behaves as {@code mode} says. */
    public static ControlChannel start(ChildMain.Mode mode) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(CHILD_JVM_OPTIONS);
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(ChildMain.class.getName());
        command.add(mode.name());
        return new ControlChannel(new ProcessBuilder(command).start());
    }

    /** Bytes written to the child's stdin by all channels in this JVM so far. */
    public static long totalBytesSent() {
        return TOTAL_SENT.get();
    }

    /** Bytes read from the children's stdout by all channels in this JVM so far. */
    public static long totalBytesReceived() {
        return TOTAL_RECEIVED.get();
    }

    public long pid() {
        return process.pid();
    }

    /** Bytes this channel wrote to the child's stdin. */
    public long bytesSent() {
        return sent.get();
    }

    /** Bytes this channel read from the child's stdout. */
    public long bytesReceived() {
        return received.get();
    }

    /** Sends one line to the child. @throws IOException if the child is gone */
    public void send(String line) throws IOException {
        byte[] bytes = (line + "\n").getBytes(StandardCharsets.UTF_8);
        try {
            stdin.write(bytes);
            stdin.flush();
        } catch (IOException e) {
            throw new IOException("could not send to child " + process.pid() + ": " + describeExit(), e);
        }
        sent.addAndGet(bytes.length);
        TOTAL_SENT.addAndGet(bytes.length);
    }

    /**
     * Waits at most {@code timeout} for the child's next line.
     *
     * @throws IOException if the child ended its output (it died) or said nothing in time
     */
    public String receive(Duration timeout) throws IOException, InterruptedException {
        String line = lines.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
        if (line == null) {
            throw new IOException("child " + process.pid() + " did not answer within " + timeout);
        }
        if (line == END) {
            lines.add(END);
            process.waitFor(GRACE.toMillis(), TimeUnit.MILLISECONDS);
            stderrReader.join(GRACE.toMillis());
            throw new IOException("child " + process.pid() + " ended without answering: " + describeExit());
        }
        return line;
    }

    private String describeExit() {
        String status = process.isAlive() ? "still running" : "exit code " + process.exitValue();
        synchronized (stderrTail) {
            return status + (stderrTail.isEmpty() ? "" : ", stderr: " + String.join(" | ", stderrTail));
        }
    }

    /** Ends the child (end of input, then SIGTERM, then SIGKILL) and waits until it and the readers are gone. */
    @Override
    public void close() {
        boolean interrupted = false;
        try {
            stdin.close();
        } catch (IOException ignored) {
            // the child is already gone
        }
        try {
            if (!process.waitFor(GRACE.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroy();
                if (!process.waitFor(GRACE.toMillis(), TimeUnit.MILLISECONDS)) {
                    process.destroyForcibly();
                    process.waitFor();
                }
            }
        } catch (InterruptedException e) {
            interrupted = true;
            process.destroyForcibly();
            process.onExit().join();
        }
        try {
            stdoutReader.join();
            stderrReader.join();
        } catch (InterruptedException e) {
            interrupted = true;
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /** Whether the child process is still running. */
    public boolean isAlive() {
        return process.isAlive();
    }

    /** The exit code, once the child has exited. */
    public Optional<Integer> exitCode() {
        return process.isAlive() ? Optional.empty() : Optional.of(process.exitValue());
    }

    private void readStdout() {
        try (InputStream in = new BufferedInputStream(process.getInputStream())) {
            StringBuilder line = new StringBuilder();
            int b;
            while ((b = in.read()) != -1) {
                received.incrementAndGet();
                TOTAL_RECEIVED.incrementAndGet();
                if (b == '\n') {
                    lines.add(line.toString());
                    line.setLength(0);
                } else {
                    line.append((char) b);
                }
            }
        } catch (IOException ignored) {
            // the pipe broke: the child is gone
        } finally {
            lines.add(END);
        }
    }

    private void readStderr() {
        try (var in = new BufferedReader(new InputStreamReader(process.getErrorStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = in.readLine()) != null) {
                synchronized (stderrTail) {
                    stderrTail.addLast(line);
                    if (stderrTail.size() > 8) {
                        stderrTail.removeFirst();
                    }
                }
            }
        } catch (IOException ignored) {
            // the pipe broke: the child is gone
        }
    }
}
