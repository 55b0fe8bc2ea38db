package parlab.stage1.processes;

import java.time.Duration;

/**
 * The child gave no answer to a task within the time allowed, so {@link ChildProcess#ask} killed it. When this is
 * thrown, the child process is already gone.
 */
public final class ChildTimeoutException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final long pid;
    private final String task;
    private final Duration timeout;

    /**
     * @param pid     the child's process id
     * @param task    the task it did not answer
     * @param timeout how long it was given
     */
    public ChildTimeoutException(long pid, String task, Duration timeout) {
        super("child process " + pid + " gave no answer to \"" + task + "\" within " + timeout.toMillis()
                + " ms; it has been killed");
        this.pid = pid;
        this.task = task;
        this.timeout = timeout;
    }

    public long pid() {
        return pid;
    }

    public String task() {
        return task;
    }

    public Duration timeout() {
        return timeout;
    }
}
