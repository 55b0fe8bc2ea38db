package parlab.stage3.supervision;

/**
 * What a worker said, or that it is gone, as the supervisor reads it from its inbox. Every event names the
 * {@link WorkerProcess} it came from (so that an event from a worker that has already been replaced can be told
 * apart) and carries {@link #at()}, the {@link Clock} time at which it was read from the pipe.
 */
public sealed interface WorkerEvent {
    /** The worker that sent it. */
    WorkerProcess worker();

    /** The clock's time when the line was read (for {@link Exited}: when the exit was seen). */
    long at();

    /** The worker began {@code taskId} (its {@code attempt}-th try). A sign of life. */
    record Started(WorkerProcess worker, long at, String taskId, int attempt) implements WorkerEvent {
    }

    /** The worker is still busy with {@code taskId} (every {@link WorkerMain#HEARTBEAT_INTERVAL}). A sign of life. */
    record Heartbeat(WorkerProcess worker, long at, String taskId) implements WorkerEvent {
    }

    /** The worker finished {@code taskId} with {@code value}; it is idle again. */
    record Finished(WorkerProcess worker, long at, String taskId, int attempt, String value) implements WorkerEvent {
    }

    /** The worker's process ended (crash, kill, or end of its input). Always its last event. */
    record Exited(WorkerProcess worker, long at, int exitCode, String stderr) implements WorkerEvent {
        /** For humans and quarantine reasons: {@code "worker 0 (pid 4711) ended with exit code 13: <stderr>"}. */
        public String describe() {
            return worker + " ended with exit code " + exitCode + (stderr.isBlank() ? "" : ": " + stderr);
        }
    }
}
