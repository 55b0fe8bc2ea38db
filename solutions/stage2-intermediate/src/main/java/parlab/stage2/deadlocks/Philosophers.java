package parlab.stage2.deadlocks;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadFactory;

/**
 * s2e02 · Deadlocks and their fixes: the dining philosophers.
 *
 * <p>Around a {@link Table} sit {@code n} philosophers with one fork between each two neighbours; a philosopher
 * needs the fork on the left and the fork on the right to eat. If every philosopher picks up the left fork and then
 * waits for the right one, all of them can hold one fork at the same moment and wait forever: the bank's deadlock
 * with {@code n} threads in the cycle instead of two.
 *
 * <p>The contract, which the tests pin down:
 * <ul>
 *   <li>{@link #eatOnce} picks up both of the seat's forks (the locks {@link Table#fork}), calls
 *       {@link Table#eat}, and puts both forks down again, also when eating throws;
 *   <li>no way of interleaving philosophers deadlocks (a model checker explores them for two seats, a stress test
 *       runs five);
 *   <li>{@link #dine} runs one thread per seat, each made by the given factory; every philosopher eats exactly
 *       {@code meals} times; when it returns every philosopher's thread has ended;
 *   <li>{@code meals < 0} is an {@link IllegalArgumentException}.
 * </ul>
 *
 * <p>Reference solution: resource ordering. Every philosopher picks up the lower-numbered of the two forks first.
 * The philosopher between the last fork and fork 0 therefore reaches right first, so the circle of waiting can
 * never close. The threads come from a fixed pool built on the caller's factory, closed by try-with-resources.
 *
 * <p>Other ways: a waiter, a {@code Semaphore(n - 1)} that a philosopher acquires before picking up any fork, lets
 * at most {@code n - 1} sit down at once, so at least one of them always gets both forks; it costs one more
 * synchronisation per meal. {@code tryLock} on the second fork with a back-off works too, as in
 * {@link Transfers#withBackoff}, but under heavy contention philosophers spend time retrying.
 */
public final class Philosophers {
    private final Table table;

    public Philosophers(Table table) {
        this.table = table;
    }

    /** Philosopher {@code seat} picks up both forks, eats one meal and puts the forks down. */
    public void eatOnce(int seat) {
        int left = table.leftForkOf(seat);
        int right = table.rightForkOf(seat);
        var first = table.fork(Math.min(left, right));
        var second = table.fork(Math.max(left, right));
        first.lock();
        try {
            second.lock();
            try {
                table.eat(seat);
            } finally {
                second.unlock();
            }
        } finally {
            first.unlock();
        }
    }

    /**
     * Every philosopher eats {@code meals} times, each on a thread of its own made by {@code factory}.
     *
     * @throws InterruptedException if interrupted while waiting for the philosophers
     */
    public void dine(int meals, ThreadFactory factory) throws InterruptedException {
        if (meals < 0) {
            throw new IllegalArgumentException("meals must not be negative, was " + meals);
        }
        List<Future<?>> dinners = new ArrayList<>();
        try (var pool = Executors.newFixedThreadPool(table.seats(), factory)) {
            for (int seat = 0; seat < table.seats(); seat++) {
                int philosopher = seat;
                dinners.add(pool.submit(() -> {
                    for (int meal = 0; meal < meals; meal++) {
                        eatOnce(philosopher);
                    }
                }));
            }
            for (Future<?> dinner : dinners) {
                try {
                    dinner.get();
                } catch (ExecutionException failed) {
                    // close() waits for the other philosophers before the exception leaves the block
                    throw rethrow(failed.getCause());
                }
            }
        }
    }

    private static RuntimeException rethrow(Throwable failure) {
        if (failure instanceof RuntimeException unchecked) {
            return unchecked;
        }
        if (failure instanceof Error error) {
            throw error;
        }
        return new IllegalStateException("a philosopher failed", failure);
    }
}
