package parlab.stage2.primitives;

import java.util.concurrent.Callable;

/**
 * s2e03 · Semaphores, events, barriers, conditions. Four small tools, one primitive each.
 *
 * <p>The JDK has a primitive for each classic coordination problem, and each problem turns into a few lines once
 * the right one is picked. This exercise builds four tools:
 * <ol>
 *   <li>{@link ConcurrencyLimiter} (this class): at most {@code K} tasks inside at once, as in a connection pool or
 *       a rate-limited API: a {@link java.util.concurrent.Semaphore} with {@code K} permits;
 *   <li>{@link StartingGate}: many threads wait until one opens the gate, then all run: an event, a
 *       {@link java.util.concurrent.CountDownLatch} of one;
 *   <li>{@link PhasedSimulation}: workers each compute a strip of a 1-D grid, and nobody starts step {@code t + 1}
 *       before everybody finished step {@code t}: a {@link java.util.concurrent.CyclicBarrier} or
 *       {@link java.util.concurrent.Phaser};
 *   <li>{@link BoundedBuffer}: a queue of fixed capacity whose {@code put} waits while it is full and whose
 *       {@code take} waits while it is empty: a {@link java.util.concurrent.locks.ReentrantLock} with two
 *       {@link java.util.concurrent.locks.Condition}s.
 * </ol>
 *
 * <p>The contract of {@link ConcurrencyLimiter}, which the tests pin down:
 * <ul>
 *   <li>however many threads call {@link #run} at once, at most {@code permits} tasks are inside at the same time,
 *       and with enough callers that many are;
 *   <li>{@link #run} returns the task's result, or throws the task's exception (the same object); either way the
 *       task's place is given back;
 *   <li>a caller interrupted while it waits for a place gets {@link InterruptedException} and takes no place;
 *   <li>{@code permits < 1} is an {@link IllegalArgumentException}.
 * </ul>
 *
 * <p>Things to think about: what must happen to a task's place when the task throws? Where does the place come
 * back if the caller is interrupted while it waits, and why must it not be given back then?
 */
public final class ConcurrencyLimiter {
    public ConcurrencyLimiter(int permits) {
        // TODO: check permits and create the primitive that hands out at most `permits` places
        throw new UnsupportedOperationException("TODO: ConcurrencyLimiter");
    }

    /**
     * Runs {@code task} on the calling thread once fewer than {@code permits} tasks are inside.
     *
     * @throws InterruptedException if interrupted while waiting for a place
     * @throws Exception whatever the task throws
     */
    public <T> T run(Callable<T> task) throws Exception {
        // TODO: take a place (waiting if none is free), run the task, give the place back on every way out
        throw new UnsupportedOperationException("TODO: run");
    }
}
