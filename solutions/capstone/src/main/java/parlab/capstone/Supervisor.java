package parlab.capstone;

import java.io.IOException;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A fixed number of supervised workers (worker JVMs in process mode) that parse chunks for the runner's threads.
 * {@link #parse} borrows an idle worker, blocking while all are busy, and gives it back after the chunk. When the
 * worker crashes ({@link WorkerCrashedException}) the supervisor closes it, starts a new one in its place (so the
 * pool keeps its size), waits a back-off that doubles with each crash of that chunk ({@code firstBackoff},
 * {@code 2 * firstBackoff}, ... capped at {@code maxBackoff}) and tries the chunk again, on whichever worker is idle
 * then. After {@code maxCrashes} crashes of the same chunk it gives up on it: {@link ChunkQuarantinedException}.
 *
 * <p>Why this shape: a crash is usually the worker's (a kill, the OOM killer, a hung JVM), so a fresh worker and
 * another try fix it; the back-off keeps a crash loop from burning the CPU; and the quarantine bounds the cost of a
 * chunk that crashes every worker it meets (a poison pill), so one bad chunk cannot stop the run.
 *
 * <p>Thread-safe: any number of threads may call {@link #parse} at once. The idle workers wait in a
 * {@link BlockingQueue}; a worker is owned by the one thread that took it until it is put back or replaced, so a
 * worker never serves two chunks at once. Every worker ever started is in {@code all} until it is closed, so
 * {@link #close} reaches the busy ones too (their callers then see a crash and give up, since the pool is closed).
 */
public final class Supervisor implements AutoCloseable {
    private final Worker.Factory factory;
    private final Supervision policy;
    private final Sleeper sleeper;
    private final Progress progress;
    private final BlockingQueue<Worker> idle = new LinkedBlockingQueue<>();
    private final Set<Worker> all = ConcurrentHashMap.newKeySet();
    private final AtomicInteger restarts = new AtomicInteger();
    private volatile boolean closed;

    /** Starts {@code size} workers now (worker JVMs boot in parallel while the caller goes on). */
    public Supervisor(Worker.Factory factory, int size, Supervision policy, Sleeper sleeper, Progress progress)
            throws IOException {
        if (size < 1) {
            throw new IllegalArgumentException("a supervisor needs at least 1 worker, got " + size);
        }
        this.factory = factory;
        this.policy = policy;
        this.sleeper = sleeper;
        this.progress = progress;
        try {
            for (int i = 0; i < size; i++) {
                Worker worker = factory.start();
                all.add(worker);
                idle.add(worker);
            }
        } catch (IOException | RuntimeException e) {
            close();
            throw e;
        }
    }

    /**
     * Parses {@code chunk} on a worker, restarting crashed workers and retrying with back-off.
     *
     * @throws ChunkQuarantinedException the chunk crashed {@code maxCrashes} workers
     * @throws IOException               a new worker could not be started, {@code maxCrashes} times in a row
     * @throws IllegalStateException     the supervisor is closed
     */
    public ChunkResult parse(Chunk chunk) throws ChunkQuarantinedException, IOException, InterruptedException {
        int crashes = 0;
        while (true) {
            if (closed) {
                throw new IllegalStateException("the supervisor is closed");
            }
            Worker worker = idle.take();
            try {
                ChunkResult result = worker.parse(chunk);
                idle.add(worker);
                return result;
            } catch (WorkerCrashedException crash) {
                crashes++;
                replace(worker);
                if (crashes >= policy.maxCrashes()) {
                    progress.chunkQuarantined(chunk, crashes, crash.getMessage());
                    throw new ChunkQuarantinedException(chunk, crashes, crash);
                }
                long backoff = backoffMillis(crashes);
                progress.chunkRetried(chunk, crashes, backoff);
                sleeper.sleep(backoff);
            } catch (InterruptedException | RuntimeException e) {
                // the worker may still be busy with the chunk: it cannot serve another one
                all.remove(worker);
                worker.close();
                throw e;
            }
        }
    }

    /** The wait before the retry that follows the {@code crashes}-th crash of a chunk. */
    long backoffMillis(int crashes) {
        long first = policy.firstBackoff().toMillis();
        long max = policy.maxBackoff().toMillis();
        long backoff = first;
        for (int i = 1; i < crashes && backoff < max; i++) {
            backoff *= 2;
        }
        return Math.min(backoff, max);
    }

    private void replace(Worker dead) throws IOException, InterruptedException {
        all.remove(dead);
        dead.close();
        if (closed) {
            throw new IllegalStateException("the supervisor is closed");
        }
        Worker fresh = startReplacement();
        all.add(fresh);
        if (closed) { // close() ran between the check and the add, and may have missed it
            all.remove(fresh);
            fresh.close();
            throw new IllegalStateException("the supervisor is closed");
        }
        idle.add(fresh);
        progress.workerRestarted(dead.pid(), fresh.pid(), restarts.incrementAndGet());
    }

    /**
     * Starts a worker in place of a crashed one. A start can fail for the same passing reason the last worker died
     * (the new JVM killed before it answered, say): it is tried again after the usual back-off, up to
     * {@code maxCrashes} times, and only then does its failure reach the caller.
     */
    private Worker startReplacement() throws IOException, InterruptedException {
        for (int attempt = 1; ; attempt++) {
            try {
                return factory.start();
            } catch (IOException failed) {
                if (attempt >= policy.maxCrashes()) {
                    throw failed;
                }
                sleeper.sleep(backoffMillis(attempt));
            }
        }
    }

    /** Workers started in place of crashed ones so far. */
    public int restarts() {
        return restarts.get();
    }

    /** Ends every worker, idle or busy; idempotent. */
    @Override
    public void close() {
        closed = true;
        for (Worker worker : all) {
            all.remove(worker);
            worker.close();
        }
        idle.clear();
    }
}
