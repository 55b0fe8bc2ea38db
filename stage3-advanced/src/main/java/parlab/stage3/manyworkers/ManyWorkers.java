package parlab.stage3.manyworkers;

import java.util.Iterator;
import java.util.concurrent.ThreadFactory;
import java.util.function.LongUnaryOperator;

/**
 * s3e12 · Running 10–20 CPU workers safely.
 *
 * <p>A service sized for a big server lands on a 2-core container and starts its 16 CPU workers there. It will
 * not be faster than with 2 (see the benchmark), but it must stay correct and healthy: the producer must not race
 * ahead and fill the heap with waiting work, no worker may starve, and when it is over, or when something fails,
 * every thread must be gone. Plain threads and one {@link java.util.concurrent.BlockingQueue} are all it takes.
 *
 * <p>The contract of {@link #run}, which the tests pin down:
 * <ul>
 *   <li>the result is the sum of {@code work(u)} over every unit {@code u} of {@code units}, each done exactly
 *       once, and {@code unitsPerWorker[i]} is how many units the i-th thread made by {@code factory} did;
 *   <li>it makes exactly {@code workers} threads with {@code factory} (never {@code new Thread} directly), and
 *       every one of them has ended when it returns or throws;
 *   <li>the calling thread is the producer: it pulls units from the iterator only while fewer than
 *       {@code capacity} units are waiting, and otherwise blocks, so memory stays flat however long the source;
 *   <li>every worker takes one unit at a time and computes it without holding a lock, so that all of them make
 *       progress (on 2 cores, 16 workers each do about 1/16 of the units);
 *   <li>if {@code work} throws, the caller gets that exception (the same object) once every thread has ended, and
 *       no more units are pulled; if the caller is interrupted, the workers stop and it throws
 *       {@link InterruptedException} once they have ended;
 *   <li>{@code workers < 1} or {@code capacity < 1} is an {@link IllegalArgumentException} that says which.
 * </ul>
 *
 * <p>Baseline experiment: {@code ./lab bench many-workers} runs the same CPU-bound units with 2, 16 and 64 workers.
 * With 2 cores, 2 workers is as fast as it gets; the others show what oversubscription costs.
 *
 * <p>Things to think about: how does each worker learn that there is no more work, without polling? If one worker
 * fails while the queue is full, what keeps the producer from blocking forever in {@code put}? What happens to
 * fairness if a worker holds the queue's lock (or any lock) while it computes?
 */
public final class ManyWorkers {
    private ManyWorkers() {
    }

    /**
     * Runs {@code work} on every unit on {@code workers} threads made by {@code factory}, with at most
     * {@code capacity} units waiting between the caller and the workers.
     */
    public static Outcome run(Iterator<Long> units, int workers, int capacity, ThreadFactory factory,
            LongUnaryOperator work) throws InterruptedException {
        // TODO: validate workers and capacity
        // TODO: make the workers with factory.newThread(...), then start them; each takes one unit at a time from a
        //       bounded queue, adds work(unit) to its own sum and count, and ends on an end-of-work marker
        // TODO: on the calling thread, put every unit into the queue (it blocks while the queue is full), then one
        //       end-of-work marker per worker
        // TODO: after a failure, pull no more units and keep the producer from blocking; when interrupted, stop the
        //       workers; in every case join them all before returning or throwing
        throw new UnsupportedOperationException("TODO: run");
    }
}
