package parlab.stage2.primitives;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static parlab.stage2.primitives.Waiting.awaitOrFail;
import static parlab.stage2.primitives.Waiting.getWithin5s;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.FutureTask;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class ConcurrencyLimiterTest {

    @Test
    void neverMoreThanKTasksInsideAndKAreReached() throws Exception {
        ConcurrencyLimiter limiter = new ConcurrencyLimiter(3);
        AtomicInteger inside = new AtomicInteger();
        AtomicInteger highWater = new AtomicInteger();
        CountDownLatch release = new CountDownLatch(1);
        List<Thread> callers = new ArrayList<>();
        List<FutureTask<Integer>> calls = new ArrayList<>();
        for (int c = 0; c < 10; c++) {
            int caller = c;
            FutureTask<Integer> call = new FutureTask<>(() -> limiter.run(() -> {
                highWater.accumulateAndGet(inside.incrementAndGet(), Math::max);
                try {
                    release.await(); // the load: every task inside stays there until the test lets go
                    return caller;
                } finally {
                    inside.decrementAndGet();
                }
            }));
            calls.add(call);
            callers.add(Thread.ofPlatform().daemon(true).name("caller-" + c).start(call));
        }
        awaitOrFail("all 10 callers parked (3 inside the limiter, 7 waiting for a place)", calls,
                () -> callers.stream().allMatch(Waiting::blocked) && inside.get() >= 3);
        assertThat(inside.get()).as("tasks inside a limiter of 3 while 10 callers want in").isEqualTo(3);
        release.countDown();
        for (int c = 0; c < calls.size(); c++) {
            assertThat(getWithin5s(calls.get(c), "caller " + c + " of 10 once the load was released"))
                    .as("result of caller %d", c).isEqualTo(c);
        }
        assertThat(highWater.get()).as("most tasks ever inside a limiter of 3 at once").isEqualTo(3);
    }

    @Test
    void theTasksResultAndExceptionPassThroughAndThePlaceComesBack() throws Exception {
        ConcurrencyLimiter limiter = new ConcurrencyLimiter(1);
        assertThat(limiter.run(() -> 42)).as("run(() -> 42)").isEqualTo(42);
        IllegalStateException boom = new IllegalStateException("boom");
        assertThatThrownBy(() -> limiter.run(() -> {
            throw boom;
        })).as("the task's own exception").isSameAs(boom);
        FutureTask<String> after = Waiting.start("caller-after-failure", () -> limiter.run(() -> "in"));
        assertThat(getWithin5s(after, "a task run after a failing one: was the failed task's place given back?"))
                .isEqualTo("in");
    }

    @Test
    void aCallerInterruptedWhileWaitingGetsInterruptedExceptionAndNoPlace() throws Exception {
        ConcurrencyLimiter limiter = new ConcurrencyLimiter(1);
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch holding = new CountDownLatch(1);
        FutureTask<String> holder = Waiting.start("holder", () -> limiter.run(() -> {
            holding.countDown();
            release.await();
            return "held";
        }));
        // the holder first: a waiter started at once could take the only place before it
        awaitOrFail("the first caller inside the limiter", List.of(holder), () -> holding.getCount() == 0);
        FutureTask<String> waiter = new FutureTask<>(() -> limiter.run(() -> "waiter got in"));
        Thread waiterThread = Thread.ofPlatform().daemon(true).name("waiter").start(waiter);
        try {
            awaitOrFail("the second caller waiting for the only place", List.of(holder, waiter),
                    () -> Waiting.blocked(waiterThread));
            waiterThread.interrupt();
            assertThatThrownBy(() -> getWithin5s(waiter, "the interrupted caller"))
                    .as("a caller interrupted while it waits for a place").isInstanceOf(InterruptedException.class);
            FutureTask<String> third = new FutureTask<>(() -> limiter.run(() -> "third got in"));
            Thread thirdThread = Thread.ofPlatform().daemon(true).name("third").start(third);
            awaitOrFail("a third caller waiting or done", List.of(third), () -> third.isDone()
                    || Waiting.blocked(thirdThread));
            assertThat(third.isDone()).as("a third caller got in while the first still holds the only place: the "
                    + "interrupted caller gave back a place it never had").isFalse();
            release.countDown();
            assertThat(getWithin5s(third, "the third caller once the place was free")).isEqualTo("third got in");
        } finally {
            release.countDown();
        }
        assertThat(getWithin5s(holder, "the first caller")).isEqualTo("held");
    }

    @Test
    void fewerThanOnePermitIsRejected() {
        assertThatThrownBy(() -> new ConcurrencyLimiter(0)).as("a limiter of 0")
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("permits");
    }
}
