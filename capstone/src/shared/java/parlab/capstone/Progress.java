package parlab.capstone;

/**
 * Told by the runner what happens to chunks, on its calling thread (but the supervision events, see below): the seam for the progress bar, the metrics and
 * the dashboard ({@link parlab.capstone.ops}). The CLI prints a line per committed chunk with {@code --progress}.
 * Every method but {@link #committed(Chunk, int, int)} has an empty default, so a listener overrides what it needs
 * and a new event can be added without touching the others. Listeners must be quick: they run between commits.
 */
public interface Progress {
    Progress NONE = (chunk, done, total) -> { };

    /** {@code chunk} was handed to a worker; {@code bytesInFlight} counts it and every chunk not yet committed. */
    default void started(Chunk chunk, long bytesInFlight) {
    }

    /** {@code chunk} is committed; {@code done} of {@code total} chunks are committed now (skipped ones included). */
    void committed(Chunk chunk, int done, int total);

    /**
     * {@code result} is committed: what the runner calls after each commit, so that listeners see the chunk's rows
     * and rejects too (metrics, dashboard); it tells {@link #committed(Chunk, int, int)} unless overridden.
     */
    default void committed(ChunkResult result, int done, int total) {
        committed(result.chunk(), done, total);
    }

    /** {@code alive} workers can take chunks now (threads: the pool's size; processes: as the supervisor sees them). */
    default void workersAlive(int alive) {
    }

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
