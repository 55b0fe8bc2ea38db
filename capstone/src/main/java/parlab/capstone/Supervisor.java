package parlab.capstone;

import java.io.IOException;

/**
 * Milestone c02: a fixed number of supervised workers (worker JVMs in process mode) that parse chunks for the
 * runner's threads. {@link #parse} borrows an idle worker (blocking while all are busy) and gives it back after the
 * chunk. When the worker crashes ({@link WorkerCrashedException}), close it, start a new one in its place
 * ({@code factory.start()}, then {@code progress.workerRestarted}), wait a back-off ({@link #backoffMillis}, through
 * the {@code sleeper}, after {@code progress.chunkRetried}) and try the chunk again on whichever worker is idle. After
 * {@code policy.maxCrashes()} crashes of the same chunk, tell {@code progress.chunkQuarantined} and throw
 * {@link ChunkQuarantinedException}. Starting the new worker can fail too (an {@code IOException}: a JVM killed
 * while it starts): try it again after the same back-off, and give up with that exception only after
 * {@code maxCrashes} failed starts in a row.
 *
 * <p>Contract: any number of threads may call {@link #parse} at once; a worker never serves two chunks at once; the
 * pool keeps its size across crashes; {@link #close} ends every worker ever started, busy ones included, and a
 * {@code parse} that runs into a closed supervisor throws {@link IllegalStateException}. Starting and detecting
 * crashes is the plumbing's job ({@link WorkerProcess}); deciding what follows a crash is yours.
 */
public final class Supervisor implements AutoCloseable {
    /** Starts {@code size} workers now. */
    public Supervisor(Worker.Factory factory, int size, Supervision policy, Sleeper sleeper, Progress progress)
            throws IOException {
        throw new UnsupportedOperationException("TODO: start size workers and keep the idle ones in a queue");
    }

    /** Parses {@code chunk} on a worker, restarting crashed workers and retrying with back-off. */
    public ChunkResult parse(Chunk chunk) throws ChunkQuarantinedException, IOException, InterruptedException {
        throw new UnsupportedOperationException("TODO: take an idle worker, parse, give it back; on a crash restart,"
                + " back off, retry; quarantine after maxCrashes");
    }

    /** The wait before the retry that follows the {@code crashes}-th crash of a chunk: firstBackoff, doubling, capped. */
    long backoffMillis(int crashes) {
        throw new UnsupportedOperationException("TODO: firstBackoff * 2^(crashes - 1), at most maxBackoff");
    }

    /** Workers started in place of crashed ones so far. */
    public int restarts() {
        throw new UnsupportedOperationException("TODO: count the restarts");
    }

    /** Ends every worker, idle or busy; idempotent. */
    @Override
    public void close() {
        throw new UnsupportedOperationException("TODO: close every worker ever started");
    }
}
