package parlab.stage2.deadlocks;

import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The dining philosophers' round table. Plumbing for s2e02: identical in the skeleton and the reference.
 *
 * <p>{@code seats} philosophers sit around it with one fork between each two neighbours: philosopher {@code s} has
 * fork {@code s} on the left and fork {@code (s + 1) % seats} on the right, and needs both to eat. Each fork is a
 * {@link ReentrantLock}; {@link #eat} checks that the calling thread holds both of the seat's forks and counts the
 * meal.
 */
public final class Table {
    private final ReentrantLock[] forks;
    private final AtomicIntegerArray meals;

    public Table(int seats) {
        if (seats < 2) {
            throw new IllegalArgumentException("a table needs at least 2 seats, was " + seats);
        }
        forks = new ReentrantLock[seats];
        for (int f = 0; f < seats; f++) {
            forks[f] = new ReentrantLock();
        }
        meals = new AtomicIntegerArray(seats);
    }

    public int seats() {
        return forks.length;
    }

    /** The number of the fork on the left of {@code seat}: {@code seat} itself. */
    public int leftForkOf(int seat) {
        return checkSeat(seat);
    }

    /** The number of the fork on the right of {@code seat}: {@code (seat + 1) % seats}. */
    public int rightForkOf(int seat) {
        return (checkSeat(seat) + 1) % forks.length;
    }

    /** Fork number {@code fork}. */
    public ReentrantLock fork(int fork) {
        return forks[fork];
    }

    /**
     * Philosopher {@code seat} eats one meal; the calling thread must hold both of the seat's forks.
     *
     * @throws IllegalStateException if it does not
     */
    public void eat(int seat) {
        for (int fork : new int[] {leftForkOf(seat), rightForkOf(seat)}) {
            if (!forks[fork].isHeldByCurrentThread()) {
                throw new IllegalStateException("philosopher " + seat + " tried to eat without holding fork " + fork);
            }
        }
        meals.incrementAndGet(seat);
    }

    /** How many meals philosopher {@code seat} has eaten. */
    public int meals(int seat) {
        return meals.get(checkSeat(seat));
    }

    private int checkSeat(int seat) {
        if (seat < 0 || seat >= forks.length) {
            throw new IllegalArgumentException("no seat " + seat + " at a table of " + forks.length);
        }
        return seat;
    }
}
