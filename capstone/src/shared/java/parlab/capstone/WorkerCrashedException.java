package parlab.capstone;

/** A worker died while it had a chunk (or before it could take one): exit, kill, broken pipe or silence. */
public final class WorkerCrashedException extends Exception {
    public WorkerCrashedException(String message) {
        super(message);
    }

    public WorkerCrashedException(String message, Throwable cause) {
        super(message, cause);
    }
}
