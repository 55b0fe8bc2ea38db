package parlab.capstone;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The runner's handle on one worker JVM ({@link WorkerMain}), started with the same {@code java} and class path as
 * the running JVM, a small heap and the serial collector. It detects every way a worker can die and turns it into a
 * {@link WorkerCrashedException} for the chunk it had: the JVM exited or was killed (end of its stdout), the pipe
 * broke (a failed write), or it went silent (no frame, heartbeats included, for the heartbeat timeout: it is
 * killed). What to do next is the {@link Supervisor}'s business.
 *
 * <p>Threads: one reader thread per worker reads its frames, notes when it last heard from it, and completes the
 * pending call; it ends when the worker's stdout closes, that is when the JVM is gone. The calling thread waits for
 * its result in slices of the heartbeat interval and is the watchdog of its own chunk, so no other thread is
 * needed. The pending call and the "dead" flag are published so that a death is never missed: the reader marks
 * the worker dead and then fails whatever is pending; a caller sets its call pending and then checks the flag.
 */
public final class WorkerProcess implements Worker {
    /** Options of every worker JVM: small heap, serial GC (the worker allocates little), class data sharing. */
    static final List<String> JVM_OPTIONS = List.of("-Xmx64m", "-XX:+UseSerialGC", "-Xshare:auto",
            "-XX:-UsePerfData");
    /** A JVM that is booting sends nothing yet: it gets at least this long for its hello. */
    private static final Duration START_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration EXIT_GRACE = Duration.ofSeconds(2);

    private final Process process;
    private final DataOutputStream toWorker;
    private final Thread reader;
    private final long heartbeatTimeoutNanos;
    private final long startedNanos = System.nanoTime();
    private volatile long lastHeardNanos = startedNanos;
    private volatile boolean hello;
    private volatile String death;
    private final AtomicReference<CompletableFuture<ChunkResult>> pending = new AtomicReference<>();

    private WorkerProcess(Process process, Duration heartbeatTimeout) {
        this.process = process;
        this.heartbeatTimeoutNanos = heartbeatTimeout.toNanos();
        this.toWorker = new DataOutputStream(new BufferedOutputStream(process.getOutputStream(), 64));
        this.reader = Thread.ofPlatform().daemon().name("capstone-worker-" + process.pid() + "-reader")
                .start(this::read);
    }

    /** Starts worker JVMs that parse {@code input}, supervised as {@code policy} says. */
    public static Worker.Factory factory(Path input, Supervision policy) {
        return factory(input, policy.heartbeatTimeout(), List.of());
    }

    /** The same, with extra JVM options for the workers ({@code -D} test hooks, for instance). */
    public static Worker.Factory factory(Path input, Duration heartbeatTimeout, List<String> extraJvmOptions) {
        return () -> start(input, heartbeatTimeout, extraJvmOptions);
    }

    static WorkerProcess start(Path input, Duration heartbeatTimeout, List<String> extraJvmOptions)
            throws IOException {
        List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        command.addAll(JVM_OPTIONS);
        for (Map.Entry<Object, Object> p : System.getProperties().entrySet()) {
            if (p.getKey() instanceof String key && key.startsWith("parlab.capstone.worker.")) {
                command.add("-D" + key + "=" + p.getValue());
            }
        }
        command.addAll(extraJvmOptions);
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(WorkerMain.class.getName());
        command.add(input.toAbsolutePath().toString());
        command.add(Long.toString(Math.max(10, heartbeatTimeout.toMillis() / 4)));
        Process process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        return new WorkerProcess(process, heartbeatTimeout);
    }

    @Override
    public long pid() {
        return process.pid();
    }

    /** The underlying process (tests kill it). */
    public ProcessHandle handle() {
        return process.toHandle();
    }

    @Override
    public ChunkResult parse(Chunk chunk) throws WorkerCrashedException, InterruptedException {
        CompletableFuture<ChunkResult> call = new CompletableFuture<>();
        if (!pending.compareAndSet(null, call)) {
            throw new IllegalStateException("worker " + pid() + " is already parsing a chunk");
        }
        try {
            if (death != null) {
                throw crashed();
            }
            try {
                WorkerProtocol.writeParse(toWorker, chunk);
                toWorker.flush();
            } catch (IOException e) {
                kill("broken pipe (" + e.getMessage() + ")");
                throw crashed();
            }
            long slice = Math.max(1, heartbeatTimeoutNanos / 4);
            while (true) {
                try {
                    return call.get(slice, TimeUnit.NANOSECONDS);
                } catch (TimeoutException e) {
                    long silent = System.nanoTime() - lastHeardNanos;
                    long limit = hello ? heartbeatTimeoutNanos : Math.max(heartbeatTimeoutNanos,
                            START_TIMEOUT.toNanos());
                    if (silent > limit) {
                        kill("no answer for " + TimeUnit.NANOSECONDS.toMillis(silent) + " ms (heartbeat timeout "
                                + TimeUnit.NANOSECONDS.toMillis(heartbeatTimeoutNanos) + " ms); killed");
                        throw crashed();
                    }
                } catch (ExecutionException e) {
                    throw crashed();
                }
            }
        } catch (InterruptedException e) {
            kill("its caller was interrupted while it parsed chunk " + chunk.id());
            throw e;
        } finally {
            pending.set(null);
        }
    }

    private WorkerCrashedException crashed() {
        return new WorkerCrashedException("worker JVM " + pid() + ": " + death);
    }

    private void kill(String why) {
        if (death == null) {
            death = why;
        }
        process.destroyForcibly();
    }

    /** The reader thread: frames until the worker's stdout ends. */
    private void read() {
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(process.getInputStream(), 1 << 16))) {
            while (true) {
                byte type = in.readByte();
                lastHeardNanos = System.nanoTime();
                switch (type) {
                    case WorkerProtocol.HELLO -> {
                        in.readLong();
                        hello = true;
                    }
                    case WorkerProtocol.HEARTBEAT -> { }
                    case WorkerProtocol.RESULT -> {
                        ChunkResult result = WorkerProtocol.readResult(in);
                        CompletableFuture<ChunkResult> call = pending.get();
                        if (call != null) {
                            call.complete(result);
                        }
                    }
                    case WorkerProtocol.FAILED -> {
                        int id = in.readInt();
                        String message = in.readUTF();
                        death = "parsing chunk " + id + " failed: " + message;
                    }
                    default -> throw new IOException("unknown frame type " + type);
                }
            }
        } catch (IOException | RuntimeException end) {
            // the worker's stdout ended (it exited or was killed) or sent garbage: it is dead either way
        }
        process.destroyForcibly();
        String exit;
        try {
            exit = process.waitFor(EXIT_GRACE.toMillis(), TimeUnit.MILLISECONDS)
                    ? "exited with code " + process.exitValue() : "stopped answering";
        } catch (InterruptedException e) {
            exit = "ended";
        }
        if (death == null) {
            death = exit;
        } else if (!death.contains("exited")) {
            death = death + " (" + exit + ")";
        }
        CompletableFuture<ChunkResult> call = pending.get();
        if (call != null) {
            call.completeExceptionally(new WorkerCrashedException(death));
        }
    }

    /** Asks the worker to exit, kills it if it has not within a grace period, and waits for its reader. */
    @Override
    public void close() {
        if (process.isAlive()) {
            try {
                toWorker.writeByte(WorkerProtocol.EXIT);
                toWorker.close();
            } catch (IOException alreadyGone) {
                // it is dying anyway
            }
            try {
                if (!process.waitFor(EXIT_GRACE.toMillis(), TimeUnit.MILLISECONDS)) {
                    kill("closed");
                }
            } catch (InterruptedException e) {
                kill("closed");
                Thread.currentThread().interrupt();
            }
        }
        process.destroyForcibly();
        boolean interrupted = false;
        while (true) {
            try {
                process.waitFor();
                reader.join(EXIT_GRACE.toMillis());
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public String toString() {
        return "worker JVM " + pid();
    }
}
