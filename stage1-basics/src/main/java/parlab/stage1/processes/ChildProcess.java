package parlab.stage1.processes;

import java.io.IOException;
import java.time.Duration;
import java.util.List;

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
 * ratios to a default start. Expect a start to cost around a hundred milliseconds on 2 cores, as much as a few
 * thousand round trips of short lines: start a child once and keep it busy.
 *
 * <p>Things to think about: while you wait for an answer on the child's stdout, the child may be writing to its
 * stderr; who empties that pipe, and what happens to the child when nobody does? What does {@code readLine()} do
 * when no line ever comes, and how else can a thread wait for something with a time limit? When you find the
 * child dead, has its last stderr line been read yet? What does {@code destroy()} send on Linux, what can a
 * program do about it, and what can it do about {@code destroyForcibly()}? And when is a killed process really
 * gone, rather than only told to go?
 */
public final class ChildProcess implements AutoCloseable {
    /** How long a child may take to exit after it has been asked to, before the next, harder step. */
    public static final Duration GRACE = Duration.ofMillis(500);
    /** How many of the child's last stderr lines are kept for the diagnosis. */
    public static final int STDERR_TAIL_LINES = 10;

    // TODO: the fields your design needs (the process, a way to write tasks, a way to get answers with a time
    //       limit, the tail of stderr)

    private ChildProcess() {
    }

    /** The command line that runs {@code mainClass} in a new JVM on this JVM's launcher and class path. */
    public static List<String> command(Class<?> mainClass, List<String> jvmOptions, String... args) {
        // TODO: java launcher, JVM options, class path, main class name, program arguments, in that order
        throw new UnsupportedOperationException("TODO: command");
    }

    /** Starts a child JVM running {@link ChildMain} with the given JVM options; does not wait for it to be ready. */
    public static ChildProcess start(List<String> jvmOptions) throws IOException {
        // TODO: start the process and whatever keeps its output pipes from filling up
        throw new UnsupportedOperationException("TODO: start");
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
        // TODO: send the task as one line (and make sure it leaves this process)
        // TODO: wait for the answer at most `timeout`; on timeout, kill the child and say so
        // TODO: if the child is gone (writing fails, or its stdout ended), report its exit code and stderr tail
        throw new UnsupportedOperationException("TODO: ask");
    }

    /**
     * Ends the child: closes its stdin, waits up to {@link #GRACE} for it to exit, then kills it. Waits for the
     * threads that read its output. If interrupted, kills the child at once and keeps the interrupt.
     */
    @Override
    public void close() {
        // TODO: ask politely (end of input), then insist; leave no process and no thread behind
        throw new UnsupportedOperationException("TODO: close");
    }
}
