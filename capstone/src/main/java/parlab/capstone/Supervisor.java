package parlab.capstone;

import java.io.IOException;

/**
 * Milestone c02: a pool of supervised workers (worker JVMs in process mode) that parse chunks for the runner's
 * threads, sized by the load. {@link #parse} borrows an idle worker and gives it back after the chunk. When the
 * worker crashes ({@link WorkerCrashedException}), close it, start a new one in its place ({@code factory.start()},
 * then {@code progress.workerRestarted}), wait a back-off ({@link #backoffMillis}, through the {@code sleeper}, after
 * {@code progress.chunkRetried}) and try the chunk again on whichever worker is idle. After
 * {@code policy.maxCrashes()} crashes of the same chunk, tell {@code progress.chunkQuarantined} and throw
 * {@link ChunkQuarantinedException}. Starting a worker can fail too (an {@code IOException}: a JVM killed while it
 * starts): try it again after the same back-off, and give up with that exception only after {@code maxCrashes}
 * failed starts in a row.
 *
 * <p>Sizing: start {@code min(policy.minWorkers(), maxWorkers)} workers in the constructor. A chunk that finds no
 * idle worker starts a new one if fewer than {@code maxWorkers} are alive (being started counts), and waits for one
 * to be given back otherwise. A worker idle for at least {@code policy.idleTimeout()} (measured with
 * {@code sleeper.nanoTime()}) is closed while more than the minimum are alive: check when a worker is borrowed or
 * given back. Lend the idle worker given back last first, so that a light load leaves the spare ones idle. Tell
 * every change of the number alive to {@code progress.workersAlive}.
 *
 * <p>Contract: any number of threads may call {@link #parse} at once; a worker never serves two chunks at once;
 * never more than {@code maxWorkers} alive, never fewer than the minimum but after a failure; a crash does not
 * change the pool's size; {@link #close} ends every worker ever started, busy ones included, and wakes the callers
 * waiting for one; a {@code parse} that runs into a closed supervisor throws {@link IllegalStateException}.
 * Starting and detecting crashes is the plumbing's job ({@link WorkerProcess}); deciding what follows is yours.
 */
public final class Supervisor implements AutoCloseable {
    /** Starts {@code policy.minWorkers()} workers now (at most {@code maxWorkers}); more start on demand. */
    public Supervisor(Worker.Factory factory, int maxWorkers, Supervision policy, Sleeper sleeper, Progress progress)
            throws IOException {
        throw new UnsupportedOperationException("TODO: start the minimum of workers and keep the idle ones");
    }

    /** Parses {@code chunk} on a worker, restarting crashed workers and retrying with back-off. */
    public ChunkResult parse(Chunk chunk) throws ChunkQuarantinedException, IOException, InterruptedException {
        throw new UnsupportedOperationException("TODO: borrow an idle (or new) worker, parse, give it back; on a crash"
                + " restart, back off, retry; quarantine after maxCrashes");
    }

    /** The wait before the retry that follows the {@code crashes}-th crash of a chunk: firstBackoff, doubling, capped. */
    long backoffMillis(int crashes) {
        throw new UnsupportedOperationException("TODO: firstBackoff * 2^(crashes - 1), at most maxBackoff");
    }

    /** Workers started in place of crashed ones so far. */
    public int restarts() {
        throw new UnsupportedOperationException("TODO: count the restarts");
    }

    /** Ends every worker, idle or busy, and wakes the callers waiting for one; idempotent. */
    @Override
    public void close() {
        throw new UnsupportedOperationException("TODO: close every worker ever started");
    }
}
