package parlab.stage1.processes;

import java.util.List;

/**
 * The child process ended (or could not even start) before it answered a task: its exit code and the last lines it
 * wrote to its stderr, which is usually where it said why. Thrown by {@link ChildProcess#ask}.
 */
public final class ChildFailedException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final long pid;
    private final String task;
    private final int exitCode;
    private final List<String> stderrTail;

    /**
     * @param pid        the child's process id
     * @param task       the task it was asked when it was found dead
     * @param exitCode   its exit code
     * @param stderrTail the last lines of its stderr, oldest first (at most {@link ChildProcess#STDERR_TAIL_LINES})
     */
    public ChildFailedException(long pid, String task, int exitCode, List<String> stderrTail) {
        super("child process " + pid + " ended with exit code " + exitCode + " before answering \"" + task + "\""
                + (stderrTail.isEmpty() ? " (its stderr was empty)"
                        : "; the last lines of its stderr:\n    " + String.join("\n    ", stderrTail)));
        this.pid = pid;
        this.task = task;
        this.exitCode = exitCode;
        this.stderrTail = List.copyOf(stderrTail);
    }

    public long pid() {
        return pid;
    }

    public String task() {
        return task;
    }

    public int exitCode() {
        return exitCode;
    }

    /** The last lines the child wrote to its stderr, oldest first. */
    public List<String> stderrTail() {
        return stderrTail;
    }
}
