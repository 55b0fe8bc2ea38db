package parlab.capstone;

/**
 * Told by the runner, on its calling thread, what happens to chunks: the seam for the progress bar, the metrics and
 * the dashboard of later milestones. The CLI prints a line per committed chunk with {@code --progress}.
 */
public interface Progress {
    Progress NONE = (chunk, done, total) -> { };

    /** {@code chunk} was handed to a worker; {@code bytesInFlight} counts it and every chunk not yet committed. */
    default void started(Chunk chunk, long bytesInFlight) {
    }

    /** {@code chunk} is committed; {@code done} of {@code total} chunks are committed now (skipped ones included). */
    void committed(Chunk chunk, int done, int total);

    /*
     * Supervision (process mode). These are told on the thread that saw the crash, one of the runner's pool
     * threads, not on the runner's calling thread: an implementation that keeps state must be thread-safe.
     */

    /** A worker JVM crashed or stopped answering and a new one took its place; {@code restarts} so far in all. */
    default void workerRestarted(long deadPid, long newPid, int restarts) {
    }

    /** {@code chunk} is tried again after its {@code crashes}-th crash, in {@code backoffMillis}. */
    default void chunkRetried(Chunk chunk, int crashes, long backoffMillis) {
    }

    /** {@code chunk} crashed {@code crashes} workers and is given up on for this run. */
    default void chunkQuarantined(Chunk chunk, int crashes, String lastCrash) {
    }
}
