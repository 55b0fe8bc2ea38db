package parlab.capstone;

/**
 * Told by the runner, on its calling thread, what happens to chunks: the seam for the progress bar, the metrics and
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

    /** Worker {@code worker} died ({@code reason}) and a new one takes its place. */
    default void workerRestarted(String worker, String reason) {
    }

    /** {@code chunk} goes to a worker again, for the {@code attempt}th time (2, 3, ...), after its worker failed. */
    default void retried(Chunk chunk, int attempt) {
    }
}
