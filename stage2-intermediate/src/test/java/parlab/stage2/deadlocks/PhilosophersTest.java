package parlab.stage2.deadlocks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.jetbrains.lincheck.datastructures.Operation;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import parlab.testing.Checkers;

/**
 * s2e02: the dining philosophers, by stress (five seats, the deadlock watchdog) and by model checking (two seats,
 * every interleaving), with the naive left-then-right philosopher as the checker's canary.
 */
class PhilosophersTest {

    /** A factory that remembers the threads it made; daemon threads, so a deadlocked table cannot hold the JVM. */
    static final class RecordingFactory implements ThreadFactory {
        final List<Thread> made = new CopyOnWriteArrayList<>();

        @Override
        public Thread newThread(Runnable task) {
            Thread thread = Thread.ofPlatform().daemon(true).name("philosopher-" + made.size()).unstarted(task);
            made.add(thread);
            return thread;
        }
    }

    @Test
    void everyPhilosopherEatsEveryMealWithoutDeadlock() throws InterruptedException {
        Table table = new Table(5);
        RecordingFactory factory = new RecordingFactory();
        new Philosophers(table).dine(3_000, factory);
        assertThat(IntStream.range(0, 5).map(table::meals).toArray()).as("meals eaten at each of the 5 seats")
                .containsOnly(3_000);
        assertThat(factory.made).as("threads made by the factory: one per seat").hasSize(5);
        assertThat(ended(factory.made)).as("philosopher threads still alive after dine returned").isTrue();
        assertThat(IntStream.range(0, 5).mapToObj(table::fork)).as("forks still held after dinner")
                .noneMatch(fork -> fork.isLocked());
    }

    @Test
    void aTwoSeatTableDinesToo() throws InterruptedException {
        Table table = new Table(2);
        new Philosophers(table).dine(5_000, new RecordingFactory());
        assertThat(List.of(table.meals(0), table.meals(1))).as("meals eaten at the 2 seats").containsExactly(5_000, 5_000);
    }

    @Test
    void eatOnceHoldsBothForksAndPutsThemDown() {
        Table table = new Table(3);
        Philosophers philosophers = new Philosophers(table);
        for (int seat = 0; seat < 3; seat++) {
            philosophers.eatOnce(seat); // Table.eat throws if the seat's forks are not both held
        }
        assertThat(IntStream.range(0, 3).map(table::meals).toArray()).as("meals after each seat ate once")
                .containsExactly(1, 1, 1);
        assertThat(IntStream.range(0, 3).mapToObj(table::fork)).as("forks still held after eatOnce returned")
                .noneMatch(fork -> fork.isLocked());
    }

    @Test
    void zeroMealsStartsAndEndsAndNegativeMealsAreRejected() throws InterruptedException {
        Table table = new Table(3);
        RecordingFactory factory = new RecordingFactory();
        new Philosophers(table).dine(0, factory);
        assertThat(IntStream.range(0, 3).map(table::meals).toArray()).as("meals after a dinner of 0 meals")
                .containsOnly(0);
        assertThat(ended(factory.made)).as("philosopher threads still alive after dine(0) returned").isTrue();
        assertThatThrownBy(() -> new Philosophers(table).dine(-1, new RecordingFactory())).as("dine(-1)")
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("meals");
    }

    @Test
    @Timeout(value = 2, unit = TimeUnit.MINUTES)
    void noInterleavingOfTwoPhilosophersDeadlocks() {
        TwoSeats alone = new TwoSeats();
        alone.seat0();
        alone.seat1();
        assertThat(List.of(alone.table.meals(0), alone.table.meals(1))).as("meals after each seat ate once, alone")
                .containsExactly(1, 1);
        // two operations only, so a small budget covers their scenarios
        Checkers.modelChecking().iterations(6).invocationsPerIteration(200).check(TwoSeats.class);
        Checkers.assertRejects("philosophers who pick up the left fork, then the right one",
                () -> Checkers.modelChecking().iterations(6).invocationsPerIteration(200).check(NaiveTwoSeats.class));
    }

    /** True if every thread has ended, allowing a pool's threads the moment they need to exit after its close(). */
    private static boolean ended(List<Thread> threads) throws InterruptedException {
        for (Thread thread : threads) {
            if (!thread.join(java.time.Duration.ofSeconds(2))) {
                return false;
            }
        }
        return true;
    }

    /** Two philosophers, two forks: the smallest table on which the naive order deadlocks. */
    public static class TwoSeats {
        final Table table = new Table(2);
        final Philosophers philosophers = new Philosophers(table);

        @Operation
        public int seat0() {
            philosophers.eatOnce(0);
            return 0;
        }

        @Operation
        public int seat1() {
            philosophers.eatOnce(1);
            return 1;
        }
    }

    /** Known broken, the checker's canary: every philosopher takes the left fork, then the right one. */
    public static class NaiveTwoSeats {
        final Table table = new Table(2);

        @Operation
        public int seat0() {
            leftThenRight(0);
            return 0;
        }

        @Operation
        public int seat1() {
            leftThenRight(1);
            return 1;
        }

        private void leftThenRight(int seat) {
            var left = table.fork(table.leftForkOf(seat));
            var right = table.fork(table.rightForkOf(seat));
            left.lock();
            try {
                right.lock();
                try {
                    table.eat(seat);
                } finally {
                    right.unlock();
                }
            } finally {
                left.unlock();
            }
        }
    }
}
