package parlab.capstone;

import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A pool of supervised workers (worker JVMs in process mode) that parse chunks for the runner's threads, sized by
 * the load between two bounds. {@link #parse} borrows an idle worker and gives it back after the chunk. When the
 * worker crashes ({@link WorkerCrashedException}) the supervisor closes it, starts a new one in its place (so a crash
 * does not shrink the pool), waits a back-off that doubles with each crash of that chunk ({@code firstBackoff},
 * {@code 2 * firstBackoff}, ... capped at {@code maxBackoff}) and tries the chunk again, on whichever worker is idle
 * then. After {@code maxCrashes} crashes of the same chunk it gives up on it: {@link ChunkQuarantinedException}.
 *
 * <p>Sizing ({@link Supervision#minWorkers()}, {@code maxWorkers}, {@link Supervision#idleTimeout()}): the pool
 * starts {@code minWorkers} workers; a chunk that finds no idle worker starts one more if fewer than
 * {@code maxWorkers} are alive, and waits for one to come back otherwise; a worker idle for {@code idleTimeout} is
 * ended while more than {@code minWorkers} are alive. Idle workers are lent last returned first, so a light load
 * keeps reusing the same few and leaves the spare ones idle long enough to end. This is the rule of
 * {@link java.util.concurrent.ThreadPoolExecutor}'s core size, maximum size and keep-alive time, applied to JVMs,
 * where it matters more: a worker JVM costs a heap and a start of a few hundred milliseconds. Every change of size
 * is told to {@link Progress#workersAlive} (a worker being started counts).
 *
 * <p>Why this shape: a crash is usually the worker's (a kill, the OOM killer, a hung JVM), so a fresh worker and
 * another try fix it; the back-off keeps a crash loop from burning the CPU; and the quarantine bounds the cost of a
 * chunk that crashes every worker it meets (a poison pill), so one bad chunk cannot stop the run.
 *
 * <p>Thread-safe: any number of threads may call {@link #parse} at once. One lock guards the idle workers and the
 * count of live ones, so that "none idle, so start one" and "spare, so end one" are decided on a consistent view
 * and the bounds hold; workers are started and closed outside it (a JVM takes a while to stop). A worker is owned by
 * the one thread that took it until it is given back or replaced, so a worker never serves two chunks at once.
 * Every worker ever started is in {@code all} until it is closed, so {@link #close} reaches the busy ones too (their
 * callers then see a crash and give up, since the pool is closed) and wakes the callers waiting for a worker.
 */
public final class Supervisor implements AutoCloseable {
    private final Worker.Factory factory;
    private final int maxWorkers;
    private final int minWorkers;
    private final long idleTimeoutNanos;
    private final Supervision policy;
    private final Sleeper sleeper;
    private final Progress progress;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition givenBack = lock.newCondition();
    private final Deque<IdleWorker> idle = new ArrayDeque<>(); // guarded by lock; first = the last given back
    private int alive; // guarded by lock: workers started or being started, and not closed
    private final Set<Worker> all = ConcurrentHashMap.newKeySet();
    private final AtomicInteger restarts = new AtomicInteger();
    private volatile boolean closed;

    private record IdleWorker(Worker worker, long sinceNanos) {
    }

    /**
     * Starts {@code policy.minWorkers()} workers now (at most {@code maxWorkers}; worker JVMs boot in parallel while
     * the caller goes on); more start on demand, up to {@code maxWorkers}.
     */
    public Supervisor(Worker.Factory factory, int maxWorkers, Supervision policy, Sleeper sleeper, Progress progress)
            throws IOException {
        if (maxWorkers < 1) {
            throw new IllegalArgumentException("a supervisor needs at least 1 worker, got " + maxWorkers);
        }
        this.factory = factory;
        this.maxWorkers = maxWorkers;
        this.minWorkers = Math.min(policy.minWorkers(), maxWorkers);
        this.idleTimeoutNanos = policy.idleTimeout().toNanos();
        this.policy = policy;
        this.sleeper = sleeper;
        this.progress = progress;
        try {
            for (int i = 0; i < minWorkers; i++) {
                Worker worker = factory.start();
                all.add(worker);
                idle.addLast(new IdleWorker(worker, sleeper.nanoTime()));
                alive++;
            }
        } catch (IOException | RuntimeException e) {
            close();
            throw e;
        }
        progress.workersAlive(alive);
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
            Worker worker = borrow();
            try {
                ChunkResult result = worker.parse(chunk);
                giveBack(worker);
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
                end(worker);
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

    /** An idle worker, else a new one if the pool may grow, else the next one given back. */
    private Worker borrow() throws IOException, InterruptedException {
        List<Worker> spare = new ArrayList<>();
        IdleWorker found;
        lock.lockInterruptibly();
        try {
            endSpare(spare);
            while ((found = idle.pollFirst()) == null && !closed && alive >= maxWorkers) {
                givenBack.await();
            }
            if (closed) {
                throw new IllegalStateException("the supervisor is closed");
            }
            if (found == null) {
                alive++; // the slot is taken before the start, so that no two callers take the last one
                progress.workersAlive(alive);
            }
        } finally {
            lock.unlock();
            spare.forEach(Worker::close);
        }
        return found != null ? found.worker() : startInSlot();
    }

    private void giveBack(Worker worker) {
        List<Worker> spare = new ArrayList<>();
        lock.lock();
        try {
            idle.addFirst(new IdleWorker(worker, sleeper.nanoTime()));
            givenBack.signal();
            endSpare(spare);
        } finally {
            lock.unlock();
            spare.forEach(Worker::close);
        }
    }

    /** Takes out of the pool the workers idle for the idle timeout, beyond the minimum (they are closed after). */
    private void endSpare(List<Worker> spare) {
        long now = sleeper.nanoTime();
        while (alive > minWorkers && !idle.isEmpty() && now - idle.peekLast().sinceNanos() >= idleTimeoutNanos) {
            Worker worker = idle.pollLast().worker();
            all.remove(worker);
            spare.add(worker);
            alive--;
        }
        if (!spare.isEmpty()) {
            progress.workersAlive(alive);
        }
    }

    /** A worker that cannot serve again: closed, and its slot freed for a caller that waits. */
    private void end(Worker worker) {
        all.remove(worker);
        worker.close();
        lost();
    }

    private void lost() {
        lock.lock();
        try {
            alive--;
            givenBack.signal(); // a waiting caller may start a worker in its place
            progress.workersAlive(alive);
        } finally {
            lock.unlock();
        }
    }

    /** Closes a crashed worker and puts a new one in its place, in its slot: the pool's size does not change. */
    private void replace(Worker dead) throws IOException, InterruptedException {
        all.remove(dead);
        dead.close();
        Worker fresh = startInSlot();
        progress.workerRestarted(dead.pid(), fresh.pid(), restarts.incrementAndGet());
        giveBack(fresh);
    }

    /**
     * Starts a worker in a slot the caller holds ({@code alive} already counts it), and frees the slot if that
     * fails. A closed supervisor starts none, and closes one whose start close() may have missed.
     */
    private Worker startInSlot() throws IOException, InterruptedException {
        try {
            if (closed) {
                throw new IllegalStateException("the supervisor is closed");
            }
            Worker fresh = startWithRetries();
            all.add(fresh);
            if (closed) { // close() ran during the start, and may have missed it
                all.remove(fresh);
                fresh.close();
                throw new IllegalStateException("the supervisor is closed");
            }
            return fresh;
        } catch (IOException | InterruptedException | RuntimeException e) {
            lost();
            throw e;
        }
    }

    /**
     * Starts a worker. A start can fail for the same passing reason the last worker died (the new JVM killed before
     * it answered, say): it is tried again after the usual back-off, up to {@code maxCrashes} times, and only then
     * does its failure reach the caller.
     */
    private Worker startWithRetries() throws IOException, InterruptedException {
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

    /** Ends every worker, idle or busy, and wakes the callers waiting for one; idempotent. */
    @Override
    public void close() {
        closed = true;
        for (Worker worker : all) {
            all.remove(worker);
            worker.close();
        }
        lock.lock();
        try {
            idle.clear();
            givenBack.signalAll();
        } finally {
            lock.unlock();
        }
    }
}
