package parlab.stage2.deadlocks;

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
 * <p>Things to think about: which of the four conditions for a deadlock (mutual exclusion, hold and wait, no
 * preemption, circular wait) does your fix break? Does every philosopher still get to eat, or can one starve?
 */
public final class Philosophers {
    private final Table table;

    public Philosophers(Table table) {
        this.table = table;
    }

    /** Philosopher {@code seat} picks up both forks, eats one meal and puts the forks down. */
    public void eatOnce(int seat) {
        // TODO: pick up the seat's two forks in an order that cannot close a circle of waiting philosophers
        // TODO: eat, then put both forks down on every way out
        throw new UnsupportedOperationException("TODO: eatOnce");
    }

    /**
     * Every philosopher eats {@code meals} times, each on a thread of its own made by {@code factory}.
     *
     * @throws InterruptedException if interrupted while waiting for the philosophers
     */
    public void dine(int meals, ThreadFactory factory) throws InterruptedException {
        // TODO: reject a negative number of meals
        // TODO: one thread per seat from the factory, each calling eatOnce meals times
        // TODO: wait until every philosopher's thread has ended
        throw new UnsupportedOperationException("TODO: dine");
    }
}
