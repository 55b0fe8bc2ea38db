package parlab.stage3.memory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class ByteBudgetTest {
    private static final long WAIT_SECONDS = 5;

    /** Runs {@code call} on its own thread, so that a call that blocks cannot hang the test. */
    private static <T> FutureTask<T> onAnotherThread(String name, java.util.concurrent.Callable<T> call) {
        FutureTask<T> task = new FutureTask<>(call);
        Thread.ofPlatform().name(name).start(task);
        return task;
    }

    /** Waits until {@code thread} is parked (WAITING or TIMED_WAITING); fails if it never parks. */
    private static void awaitParked(Thread thread, String what) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_SECONDS);
        while (System.nanoTime() < deadline) {
            Thread.State state = thread.getState();
            if (state == Thread.State.WAITING || state == Thread.State.TIMED_WAITING) {
                return;
            }
            if (state == Thread.State.TERMINATED) {
                throw new AssertionError(what + " returned at once; it must wait until enough bytes are free");
            }
            Thread.sleep(5); // polling a thread's state, not synchronising with it
        }
        throw new AssertionError(what + " never parked in " + WAIT_SECONDS + " s (state " + thread.getState()
                + "): wait on a Condition or a monitor, do not spin");
    }

    @Test
    void tryAcquireTakesFreeBytesAndRefusesTheRestAtOnce() {
        ByteBudget budget = new ByteBudget(100);
        assertThat(budget.available()).as("free bytes of a new budget of 100").isEqualTo(100);
        assertThat(budget.tryAcquire(60)).as("tryAcquire(60) of 100 free").isTrue();
        assertThat(budget.available()).as("free bytes after taking 60").isEqualTo(40);
        assertThat(budget.tryAcquire(50)).as("tryAcquire(50) with 40 free: refused, without waiting").isFalse();
        assertThat(budget.available()).as("free bytes after a refused request: nothing taken").isEqualTo(40);
        assertThat(budget.tryAcquire(40)).as("tryAcquire(40) with 40 free").isTrue();
        assertThat(budget.tryAcquire(0)).as("tryAcquire(0) with nothing free: zero bytes always fit").isTrue();
        budget.release(100);
        assertThat(budget.available()).as("free bytes once everything was released").isEqualTo(100);
    }

    @Test
    void aRequestLargerThanTheBudgetFailsAtOnce() throws Exception {
        ByteBudget budget = new ByteBudget(1_000);
        assertThatThrownBy(() -> budget.tryAcquire(1_001)).as("tryAcquire(1001) on a budget of 1000")
                .isInstanceOf(RequestTooLargeException.class);
        Thread waiter = null;
        FutureTask<Void> acquire = new FutureTask<>(() -> {
            budget.acquire(1_001);
            return null;
        });
        try {
            waiter = Thread.ofPlatform().name("test-too-large").start(acquire);
            acquire.get(WAIT_SECONDS, TimeUnit.SECONDS);
            throw new AssertionError("acquire(1001) on a budget of 1000 returned: it can never fit, so it must throw"
                    + " RequestTooLargeException");
        } catch (TimeoutException waitsForever) {
            throw new AssertionError("acquire(1001) on a budget of 1000 was still waiting after " + WAIT_SECONDS
                    + " s: a request that can never fit must throw RequestTooLargeException at once");
        } catch (ExecutionException e) {
            assertThat(e.getCause()).as("what acquire(1001) threw on a budget of 1000")
                    .isInstanceOf(RequestTooLargeException.class);
        } finally {
            if (waiter != null) {
                waiter.interrupt();
                waiter.join();
            }
        }
        assertThat(budget.available()).as("free bytes after the refused request").isEqualTo(1_000);
    }

    @Test
    void badRequestsAreRejectedWithAClearException() {
        ByteBudget budget = new ByteBudget(10);
        assertThatThrownBy(() -> budget.acquire(-1)).as("acquire(-1)").isInstanceOf(IllegalArgumentException.class)
                .isNotInstanceOf(RequestTooLargeException.class);
        assertThatThrownBy(() -> budget.release(-1)).as("release(-1)").isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> budget.release(1)).as("release(1) while nothing is held: a bookkeeping bug")
                .isInstanceOf(IllegalStateException.class);
        assertThat(budget.tryAcquire(4)).as("tryAcquire(4)").isTrue();
        assertThatThrownBy(() -> budget.release(5)).as("release(5) while 4 are held")
                .isInstanceOf(IllegalStateException.class);
        assertThat(budget.available()).as("free bytes after the refused releases").isEqualTo(6);
    }

    @Test
    void acquireWaitsUntilEnoughBytesAreReleased() throws Exception {
        ByteBudget budget = new ByteBudget(100);
        budget.acquire(70);
        FutureTask<Void> second = new FutureTask<>(() -> {
            budget.acquire(50);
            return null;
        });
        Thread waiter = Thread.ofPlatform().name("test-acquire-50").start(second);
        try {
            awaitParked(waiter, "acquire(50) with 30 of 100 bytes free");
            assertThat(budget.available()).as("free bytes while acquire(50) waits: it must not take a part")
                    .isEqualTo(30);
            budget.release(10);
            assertThat(budget.available()).as("free bytes after releasing 10 of 70: 40, still too few for 50")
                    .isEqualTo(40);
            awaitParked(waiter, "acquire(50) with 40 of 100 bytes free");
            assertThat(second.isDone()).as("acquire(50) returned with only 40 bytes free").isFalse();
            budget.release(60);
            second.get(WAIT_SECONDS, TimeUnit.SECONDS);
        } catch (TimeoutException lost) {
            throw new AssertionError("acquire(50) was still waiting " + WAIT_SECONDS + " s after all 100 bytes were"
                    + " free: release() must wake the waiters");
        } finally {
            waiter.interrupt();
            waiter.join();
        }
        assertThat(budget.available()).as("free bytes once acquire(50) got its bytes").isEqualTo(50);
    }

    @Test
    void oneReleaseWakesEveryWaiterThatNowFits() throws Exception {
        ByteBudget budget = new ByteBudget(100);
        budget.acquire(100);
        FutureTask<Void> wants60 = new FutureTask<>(() -> {
            budget.acquire(60);
            return null;
        });
        FutureTask<Void> wants40 = new FutureTask<>(() -> {
            budget.acquire(40);
            return null;
        });
        Thread first = Thread.ofPlatform().name("test-acquire-60").start(wants60);
        Thread second = null;
        try {
            awaitParked(first, "acquire(60) with nothing free");
            second = Thread.ofPlatform().name("test-acquire-40").start(wants40);
            awaitParked(second, "acquire(40) with nothing free");
            budget.release(100); // one release, room for both
            try {
                wants60.get(WAIT_SECONDS, TimeUnit.SECONDS);
                wants40.get(WAIT_SECONDS, TimeUnit.SECONDS);
            } catch (TimeoutException lostWakeUp) {
                throw new AssertionError("after one release(100), acquire(60) done: " + wants60.isDone()
                        + ", acquire(40) done: " + wants40.isDone() + "; the other was still asleep " + WAIT_SECONDS
                        + " s later with enough bytes free. Waiters want different sizes: a release must wake them"
                        + " all (signalAll / notifyAll), not just one");
            }
            assertThat(budget.available()).as("free bytes once both waiters got theirs").isZero();
        } finally {
            first.interrupt();
            first.join();
            if (second != null) {
                second.interrupt();
                second.join();
            }
        }
    }

    @Test
    void anInterruptedAcquireGivesUpAndHoldsNothing() throws Exception {
        ByteBudget budget = new ByteBudget(10);
        budget.acquire(8);
        FutureTask<Void> blocked = new FutureTask<>(() -> {
            budget.acquire(5);
            return null;
        });
        Thread waiter = Thread.ofPlatform().name("test-acquire-5").start(blocked);
        awaitParked(waiter, "acquire(5) with 2 of 10 bytes free");
        waiter.interrupt();
        waiter.join(TimeUnit.SECONDS.toMillis(WAIT_SECONDS));
        assertThat(waiter.isAlive()).as("acquire(5) still waiting after an interrupt: wait interruptibly").isFalse();
        assertThatThrownBy(blocked::get).as("what the interrupted acquire(5) ended with")
                .hasCauseInstanceOf(InterruptedException.class);
        assertThat(budget.available()).as("free bytes after the interrupted acquire: it took nothing").isEqualTo(2);
    }

    @Test
    void bytesInFlightNeverExceedTheBudgetUnderLoad() throws Exception {
        long capacity = 1_000;
        ByteBudget budget = new ByteBudget(capacity);
        AtomicLong inFlight = new AtomicLong();
        AtomicLong peak = new AtomicLong();
        int threads = 8;
        int rounds = 2_000;
        List<FutureTask<Void>> workers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            SplittableRandom random = new SplittableRandom(42 + t);
            workers.add(onAnotherThread("test-budget-user-" + t, () -> {
                for (int i = 0; i < rounds; i++) {
                    long bytes = 1 + random.nextLong(capacity / 2);
                    budget.acquire(bytes);
                    try {
                        peak.accumulateAndGet(inFlight.addAndGet(bytes), Math::max);
                        Thread.onSpinWait();
                    } finally {
                        inFlight.addAndGet(-bytes);
                        budget.release(bytes);
                    }
                }
                return null;
            }));
        }
        for (FutureTask<Void> worker : workers) {
            try {
                worker.get(10, TimeUnit.SECONDS);
            } catch (TimeoutException stuck) {
                throw new AssertionError("a thread was still waiting to acquire after 10 s with bytes free: a lost"
                        + " wake-up? Requests differ in size, so a release must wake every waiter (signalAll)");
            }
        }
        assertThat(peak.get()).as("peak bytes in flight over %d threads x %d requests, budget %d", threads, rounds,
                capacity).isLessThanOrEqualTo(capacity).isPositive();
        assertThat(budget.available()).as("free bytes once everything was released").isEqualTo(capacity);
    }
}
