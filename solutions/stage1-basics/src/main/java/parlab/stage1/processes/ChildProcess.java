package parlab.stage1.processes;

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * s1e07 · Child processes and pipes.
 *
 * <p>Some work is better done in another process: it may crash, leak memory, call {@code System.exit}, or need a
 * heap of its own, and none of that should take the caller down. Java cannot fork; it spawns: a
 * {@link ProcessBuilder} starts a fresh JVM, here on our own class path, running {@link ChildMain}. Parent and
 * child talk over three pipes: the child's stdin (tasks, one per line), its stdout (answers, one per line) and its
 * stderr (what it says when something goes wrong). A pipe is a small kernel buffer (64 KB on Linux): a writer that
 * fills it stops until someone reads.
 *
 * <p>The contract, which the tests pin down:
 * <ul>
 *   <li>{@link #command} runs a class on this JVM's own {@code java} launcher (under {@code java.home}) and class
 *       path ({@code java.class.path}), with the JVM options before the class name and the program's arguments
 *       after it;
 *   <li>{@link #start} starts one child JVM running {@link ChildMain}; {@link #ask} sends a task as one line and
 *       returns the child's one-line answer; any number of tasks are answered, in order, by that same child;
 *   <li>if the child dies before it answers (it crashed, or it could not even start), {@code ask} throws a
 *       {@link ChildFailedException} with the child's exit code and the last {@value #STDERR_TAIL_LINES} lines of
 *       its stderr, up to and including the very last one;
 *   <li>if no answer comes within the timeout, {@code ask} kills the child ({@code destroy()}, then
 *       {@code destroyForcibly()} if it is still alive {@link #GRACE} later) and throws a
 *       {@link ChildTimeoutException} once the process is gone;
 *   <li>a child that writes megabytes to its stderr before it answers gets its answer through, promptly;
 *   <li>{@link #close} ends the child: it closes the child's stdin (the child's cue to exit), waits up to
 *       {@link #GRACE}, and then escalates as on a timeout. Afterwards no child process and no thread started
 *       here is left. Closing twice is harmless.
 * </ul>
 *
 * <p>Baseline experiment: {@code ./lab bench child-processes} times starting a JVM that exits at once (default
 * flags, C1 only, without the class-data-sharing archive) and 1,000 round trips with lines of growing size, as
 * ratios to a default start. Expect a start to cost tens of milliseconds, as much as thousands of small round
 * trips: start a child once and keep it busy.
 *
 * <p>Reference solution. Two daemon threads per child keep both of its output pipes empty at all times: one moves
 * answers from stdout into a {@link BlockingQueue}, where {@code ask} waits for them with
 * {@link BlockingQueue#poll(long, TimeUnit) poll(timeout)} (a plain {@code readLine()} cannot time out), and puts
 * an end marker there when stdout ends; the other reads stderr and keeps only its last lines. So a child can
 * write any amount to stderr without blocking, and the tail costs bounded memory. When the child is found dead,
 * {@code ask} waits for its exit and joins the stderr thread before it builds the exception: only then is the
 * child's last word in the tail. The two threads end by themselves when the child's pipes close, that is when
 * the child is gone.
 *
 * <p>Other ways: {@code ProcessBuilder.redirectError(Redirect.appendTo(file))} sends stderr to a file, which needs
 * no thread and never blocks; read the file's end for the tail (and delete it afterwards). {@code Redirect.DISCARD}
 * avoids the deadlock as well but loses the diagnosis; {@code Redirect.INHERIT} mixes the child's messages into
 * the parent's; {@code redirectErrorStream(true)} mixes them into the answers. For the timeout, a reader thread
 * per call (a {@code Future} with {@code get(timeout)}) also works but must still be stopped on timeout, and a
 * read that outlives its call would steal the next answer. Process pipes are not selectable channels, so one
 * thread cannot watch many children the NIO way; virtual threads make one reader per pipe cheap. A child that
 * starts children of its own should be ended with its descendants ({@link ProcessHandle#descendants()}).
 */
public final class ChildProcess implements AutoCloseable {
    /** How long a child may take to exit after it has been asked to, before the next, harder step. */
    public static final Duration GRACE = Duration.ofMillis(500);
    /** How many of the child's last stderr lines are kept for the diagnosis. */
    public static final int STDERR_TAIL_LINES = 10;

    private final Process process;
    private final BufferedWriter toChild;                                           // used by ask's caller only
    private final BlockingQueue<Optional<String>> answers = new LinkedBlockingQueue<>(); // empty = end of stdout
    private final Deque<String> stderrTail = new ArrayDeque<>();                     // guarded by itself
    private final Thread stdoutPump;
    private final Thread stderrPump;
    private volatile boolean closed;

    private ChildProcess(Process process) {
        this.process = process;
        this.toChild = process.outputWriter(StandardCharsets.UTF_8);
        BufferedReader fromChild = process.inputReader(StandardCharsets.UTF_8);
        BufferedReader errors = process.errorReader(StandardCharsets.UTF_8);
        String name = "child-" + process.pid();
        this.stdoutPump = Thread.ofPlatform().daemon().name(name + "-stdout").start(() -> pumpAnswers(fromChild));
        this.stderrPump = Thread.ofPlatform().daemon().name(name + "-stderr").start(() -> pumpStderr(errors));
    }

    /** The command line that runs {@code mainClass} in a new JVM on this JVM's launcher and class path. */
    public static List<String> command(Class<?> mainClass, List<String> jvmOptions, String... args) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmOptions);
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(mainClass.getName());
        command.addAll(List.of(args));
        return List.copyOf(command);
    }

    /** Starts a child JVM running {@link ChildMain} with the given JVM options; does not wait for it to be ready. */
    public static ChildProcess start(List<String> jvmOptions) throws IOException {
        return new ChildProcess(new ProcessBuilder(command(ChildMain.class, jvmOptions)).start());
    }

    /**
     * Sends {@code task} to the child as one line and returns its one-line answer. One caller at a time.
     *
     * @throws ChildFailedException  if the child is dead or dies before it answers
     * @throws ChildTimeoutException if no answer comes within {@code timeout}; the child has then been killed
     * @throws InterruptedException  if interrupted while waiting; the child is killed too, since its answer would
     *                               otherwise be taken for the answer to the next task
     */
    public String ask(String task, Duration timeout) throws InterruptedException {
        Objects.requireNonNull(timeout, "timeout");
        if (task.indexOf('\n') >= 0 || task.indexOf('\r') >= 0) {
            throw new IllegalArgumentException("a task is one line, but this one has a line break: " + task);
        }
        if (closed) {
            throw new IllegalStateException("this child process has been closed");
        }
        try {
            toChild.write(task);
            toChild.write('\n');
            toChild.flush();
        } catch (IOException childIsGone) { // "Broken pipe" or "Stream closed": nobody reads the other end
            throw failed(task);
        }
        Optional<String> answer;
        try {
            answer = answers.poll(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            kill();
            throw e;
        }
        if (answer == null) {
            kill();
            throw new ChildTimeoutException(process.pid(), task, timeout);
        }
        if (answer.isEmpty()) {
            answers.add(answer); // keep the end marker for the next call
            throw failed(task);
        }
        return answer.get();
    }

    /**
     * Ends the child: closes its stdin, waits up to {@link #GRACE} for it to exit, then kills it. Waits for the
     * threads that read its output. If interrupted, kills the child at once and keeps the interrupt.
     */
    @Override
    public void close() {
        closed = true;
        try {
            toChild.close(); // end of input: the child's cue to finish
        } catch (IOException alreadyGone) {
            // the child has closed its end: it is exiting or gone, which the wait below handles
        }
        try {
            if (!process.waitFor(GRACE.toMillis(), TimeUnit.MILLISECONDS)) {
                kill();
            }
            stdoutPump.join(GRACE);
            stderrPump.join(GRACE);
        } catch (InterruptedException e) {
            process.destroyForcibly(); // no time left for politeness
            Thread.currentThread().interrupt();
        }
    }

    /** The child died (or is dying): wait for it, and for the last of its stderr, then describe it. */
    private ChildFailedException failed(String task) throws InterruptedException {
        if (!process.waitFor(GRACE.toMillis(), TimeUnit.MILLISECONDS)) {
            kill(); // it closed its stdout or stdin but lives on: it is of no use any more
        }
        stderrPump.join(GRACE); // the pump sees the end of stderr once the child is gone
        return new ChildFailedException(process.pid(), task, process.exitValue(), stderrTail());
    }

    /** SIGTERM, a grace period, then SIGKILL; returns once the process has exited. */
    private void kill() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(GRACE.toMillis(), TimeUnit.MILLISECONDS)) {
            process.destroyForcibly();
            process.waitFor();
        }
    }

    private void pumpAnswers(BufferedReader fromChild) {
        try (fromChild) {
            String line;
            while ((line = fromChild.readLine()) != null) {
                answers.add(Optional.of(line));
            }
        } catch (IOException e) {
            // the pipe broke: the child is gone, which the end marker below reports
        } finally {
            answers.add(Optional.empty());
        }
    }

    private void pumpStderr(BufferedReader errors) {
        try (errors) {
            String line;
            while ((line = errors.readLine()) != null) {
                synchronized (stderrTail) {
                    if (stderrTail.size() == STDERR_TAIL_LINES) {
                        stderrTail.removeFirst();
                    }
                    stderrTail.addLast(line);
                }
            }
        } catch (IOException e) {
            // the pipe broke: the child is gone, and the tail holds what it said before
        }
    }

    private List<String> stderrTail() {
        synchronized (stderrTail) {
            return List.copyOf(stderrTail);
        }
    }
}
