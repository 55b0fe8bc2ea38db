package parlab.capstone.ops;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import parlab.capstone.Chunk;
import parlab.capstone.ChunkResult;
import parlab.capstone.Progress;

/**
 * The run's log, tagged through the MDC with {@value #WORKER} and {@value #CHUNK} (the pattern of {@link LogConfig}
 * prints them): a committed chunk and a change of the pool's size at DEBUG, rejects, retries and restarts at WARN.
 * Rejects are logged for the first {@value #REJECT_WARNINGS} chunks that have any, then once more to say that the
 * rest are only in the rejects table, so a bad file cannot flood the terminal.
 *
 * <p>Other code that works for a worker or on a chunk tags its lines the same way:
 * {@code try (var tag = RunLog.chunk(7)) { log.info(...); }}.
 */
public final class RunLog implements Progress {
    public static final String WORKER = "worker";
    public static final String CHUNK = "chunk";
    static final int REJECT_WARNINGS = 10;
    private static final Logger LOG = LoggerFactory.getLogger("parlab.capstone.run");

    private int chunksWithRejects;

    /** Tags the calling thread's log lines with {@code chunk} until closed. */
    public static MDC.MDCCloseable chunk(int chunk) {
        return MDC.putCloseable(CHUNK, Integer.toString(chunk));
    }

    /** Tags the calling thread's log lines with {@code worker} until closed. */
    public static MDC.MDCCloseable worker(String worker) {
        return MDC.putCloseable(WORKER, worker);
    }

    @Override
    public void committed(Chunk chunk, int done, int total) {
    }

    @Override
    public void committed(ChunkResult result, int done, int total) {
        try (var tag = chunk(result.chunk().id())) {
            LOG.debug("committed {} rows, {} bytes ({}/{})", result.rows(), result.chunk().size(), done, total);
            if (!result.rejects().isEmpty()) {
                chunksWithRejects++;
                if (chunksWithRejects <= REJECT_WARNINGS) {
                    LOG.warn("{} bad line(s), the first at byte {}: {}", result.rejected(),
                            result.rejects().getFirst().byteOffset(), result.rejects().getFirst().reason());
                } else if (chunksWithRejects == REJECT_WARNINGS + 1) {
                    LOG.warn("more chunks have bad lines; they are not logged, the rejects table has them all");
                }
            }
        }
    }

    @Override
    public void workersAlive(int alive) {
        LOG.debug("{} worker(s) alive", alive);
    }

    @Override
    public void workerRestarted(long deadPid, long newPid, int restarts) {
        try (var tag = worker("pid-" + newPid)) {
            LOG.warn("replaces worker JVM {}, which died ({} restarts so far)", deadPid, restarts);
        }
    }

    @Override
    public void chunkRetried(Chunk chunk, int crashes, long backoffMillis) {
        try (var tag = chunk(chunk.id())) {
            LOG.warn("retried in {} ms after crash {}", backoffMillis, crashes);
        }
    }

    @Override
    public void chunkQuarantined(Chunk chunk, int crashes, String lastCrash) {
        try (var tag = chunk(chunk.id())) {
            LOG.error("quarantined after {} crashes, the last: {}", crashes, lastCrash);
        }
    }
}
