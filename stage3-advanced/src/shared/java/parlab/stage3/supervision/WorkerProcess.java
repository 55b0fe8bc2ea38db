package parlab.stage3.supervision;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

/**
 * One {@link WorkerMain} child JVM and the two threads that read its stdout and stderr. Plumbing, not the lesson:
 * use it, there is nothing to change here.
 *
 * <p>Every line the worker prints becomes a {@link WorkerEvent} in the inbox given to {@link #start}, stamped with
 * the clock's time as it is read; when its stdout ends, the reader waits for the process to exit and adds a final
 * {@link WorkerEvent.Exited}. {@link #send} hands it one task (and refuses a second one before the first one's
 * result has been read: one task at a time, so that a crash loses at most one), {@link #kill} is {@code kill -9}
 * and returns at once, {@link #close} kills it and waits until the process and both reader threads are gone.
 */
public final class WorkerProcess implements AutoCloseable {
    /** Small and quick to start: a worker costs well under a second to replace. */
    public static final List<String> JVM_OPTIONS = List.of("-Xmx32m", "-Xss512k", "-XX:TieredStopAtLevel=1",
            "-XX:+UseSerialGC", "-XX:-UsePerfData", "-Xshare:auto");
    private static final int STDERR_LINES_KEPT = 5;

    private final int slot;
    private final Process process;
    private final OutputStream stdin;
    private final Clock clock;
    private final BlockingQueue<WorkerEvent> inbox;
    private final Consumer<WorkerEvent> observer;
    private final AtomicReference<String> outstanding = new AtomicReference<>();
    private final Deque<String> stderrTail = new ArrayDeque<>();
    private final Thread stdoutReader;
    private final Thread stderrReader;

    private WorkerProcess(int slot, Process process, BlockingQueue<WorkerEvent> inbox, Clock clock,
            Consumer<WorkerEvent> observer) {
        this.slot = slot;
        this.process = process;
        this.stdin = process.getOutputStream();
        this.inbox = inbox;
        this.clock = clock;
        this.observer = observer;
        this.stderrReader = Thread.ofPlatform().name("worker-pid" + process.pid() + "-stderr").daemon()
                .start(this::readStderr);
        this.stdoutReader = Thread.ofPlatform().name("worker-pid" + process.pid() + "-stdout").daemon()
                .start(this::readStdout);
    }

    /** Starts a worker JVM for {@code slot}; its events go to {@code inbox}. */
    public static WorkerProcess start(int slot, BlockingQueue<WorkerEvent> inbox, Clock clock) throws IOException {
        return start(slot, inbox, clock, event -> { });
    }

    /**
     * As {@link #start(int, BlockingQueue, Clock)}, and shows every event to {@code observer} first, on the reader
     * thread, just before it goes into the inbox (the tests use this to see a task start and to react).
     */
    public static WorkerProcess start(int slot, BlockingQueue<WorkerEvent> inbox, Clock clock,
            Consumer<WorkerEvent> observer) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(JVM_OPTIONS);
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(WorkerMain.class.getName());
        return new WorkerProcess(slot, new ProcessBuilder(command).start(), inbox, clock, observer);
    }

    /** The slot of the supervisor this worker was started for. */
    public int slot() {
        return slot;
    }

    public long pid() {
        return process.pid();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /**
     * Sends the worker its next task.
     *
     * @throws IllegalStateException if it has not answered its previous task yet (one task at a time)
     * @throws IOException           if the worker is gone
     */
    public void send(Task task, int attempt) throws IOException {
        String busy = outstanding.get();
        if (busy != null) {
            throw new IllegalStateException(this + " is still running task " + busy + ": send a worker its next "
                    + "task only after its result (one task at a time, so that a crash loses at most one)");
        }
        outstanding.set(task.id());
        byte[] line = ("task " + task.id() + " " + attempt + " " + task.payload() + "\n")
                .getBytes(StandardCharsets.UTF_8);
        try {
            stdin.write(line);
            stdin.flush();
        } catch (IOException e) {
            throw new IOException("could not send task " + task.id() + " to " + this + " (it is "
                    + (process.isAlive() ? "still running" : "gone") + ")", e);
        }
    }

    /** {@code kill -9}: returns at once; the worker's {@link WorkerEvent.Exited} follows in the inbox. */
    public void kill() {
        process.destroyForcibly();
    }

    /** Kills the worker if it still runs and waits until it and its reader threads are gone. Idempotent. */
    @Override
    public void close() {
        boolean interrupted = false;
        try {
            stdin.close();
        } catch (IOException ignored) {
            // the worker is already gone
        }
        process.destroyForcibly();
        while (true) {
            try {
                process.waitFor();
                stdoutReader.join();
                stderrReader.join();
                break;
            } catch (InterruptedException e) {
                interrupted = true; // finish the clean-up first: no orphan, no stray reader
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public String toString() {
        return "worker " + slot + " (pid " + process.pid() + ")";
    }

    private void readStdout() {
        try (var out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = out.readLine()) != null; ) {
                WorkerEvent event = parse(line);
                if (event != null) {
                    deliver(event);
                }
            }
        } catch (IOException e) {
            // the stream broke: the process is going away, which the Exited event says
        }
        boolean interrupted = false;
        while (true) {
            try {
                process.waitFor(); // stdout ends a moment before the exit code is known
                stderrReader.join();
                break;
            } catch (InterruptedException e) {
                interrupted = true; // the Exited event must still be delivered
            }
        }
        String stderr;
        synchronized (stderrTail) {
            stderr = String.join(" | ", stderrTail);
        }
        deliver(new WorkerEvent.Exited(this, clock.nanoTime(), process.exitValue(), stderr));
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    private WorkerEvent parse(String line) {
        String[] parts = line.split(" ", 4);
        long now = clock.nanoTime();
        return switch (parts[0]) {
            case "started" -> new WorkerEvent.Started(this, now, parts[1], Integer.parseInt(parts[2]));
            case "beat" -> new WorkerEvent.Heartbeat(this, now, parts[1]);
            case "result" -> {
                outstanding.getAndUpdate(busy -> parts[1].equals(busy) ? null : busy);
                yield new WorkerEvent.Finished(this, now, parts[1], Integer.parseInt(parts[2]), parts[3]);
            }
            default -> null; // not part of the protocol: ignored
        };
    }

    private void deliver(WorkerEvent event) {
        try {
            observer.accept(event);
        } catch (RuntimeException | Error e) {
            System.err.println("the observer of " + this + " failed on " + event + ": " + e);
        }
        inbox.add(event);
    }

    private void readStderr() {
        try (var err = new BufferedReader(new InputStreamReader(process.getErrorStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = err.readLine()) != null; ) {
                synchronized (stderrTail) {
                    stderrTail.addLast(line);
                    if (stderrTail.size() > STDERR_LINES_KEPT) {
                        stderrTail.removeFirst();
                    }
                }
            }
        } catch (IOException e) {
            // the process is gone
        }
    }
}
