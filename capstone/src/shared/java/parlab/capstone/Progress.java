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
}
