package parlab.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.ReentrantLock;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import parlab.testing.Samples.Outcome;
import parlab.testing.Samples.Sample;

/**
 * Proves {@link Watchdog} on known-broken samples: a lock-order deadlock becomes a {@link DeadlockError} in well under
 * the 15 s time limit, and a hang under JUnit's timeout carries a {@link HangError} with the stuck threads' stacks.
 *
 * <p>The deadlock samples run in {@code @BeforeAll}, outside any watched test body: this test's own watchdog would
 * otherwise race the sample's to report the same deadlock. Their threads are daemons; the monitor deadlock can never be
 * undone (a thread blocked entering {@code synchronized} cannot be interrupted), the lock deadlock is undone at the end.
 */
class WatchdogTest {
    /** Well under the 15 s default time limit (the watchdog polls every 25 ms), with room for a loaded machine. */
    private static final Duration FAST = Duration.ofSeconds(8);

    private static Outcome monitorDeadlock;
    private static Outcome lockDeadlock;

    @BeforeAll
    static void runDeadlockSamples() {
        monitorDeadlock = Samples.run(MonitorDeadlock.class);
        lockDeadlock = Samples.run(LockDeadlock.class);
    }

    @AfterAll
    static void undoLockDeadlock() throws InterruptedException {
        for (Thread thread : LockDeadlock.THREADS) {
            thread.interrupt(); // they wait in lockInterruptibly
            thread.join(Duration.ofSeconds(5));
        }
    }

    @Test
    void monitorDeadlockFailsFastNamingBothThreads() {
        assertThat(monitorDeadlock.took()).as("time until the deadlock was reported").isLessThan(FAST);
        assertThat(monitorDeadlock.failure()).as("failure of a test whose threads take two monitors in opposite order")
                .isInstanceOf(DeadlockError.class)
                .message()
                .contains("monitor-left holds Object@", "monitor-right holds Object@")
                .containsPattern("monitor-left holds Object@\\w+ and waits for Object@\\w+ \\(held by monitor-right\\)")
                .containsPattern("monitor-right holds Object@\\w+ and waits for Object@\\w+ \\(held by monitor-left\\)")
                .contains("Take locks in one global order")
                .contains("parlab.testing.WatchdogTest.takeBoth(");
    }

    @Test
    void reentrantLockDeadlockFailsFastNamingBothThreads() {
        assertThat(lockDeadlock.took()).as("time until the deadlock was reported").isLessThan(FAST);
        assertThat(lockDeadlock.failure()).as("failure of a test whose threads take two ReentrantLocks in opposite order")
                .isInstanceOf(DeadlockError.class)
                .message()
                .containsPattern("lock-left holds ReentrantLock@\\w+ and waits for "
                        + "ReentrantLock@\\w+ \\(held by lock-right\\)")
                .containsPattern("lock-right holds ReentrantLock@\\w+ and waits for "
                        + "ReentrantLock@\\w+ \\(held by lock-left\\)");
    }

    @Test
    void aHangFailsWithJUnitsTimeoutCarryingWhereTheThreadsStood() throws InterruptedException {
        Hang.release = new CountDownLatch(1);
        try {
            Outcome hang = Samples.run(Hang.class);
            Throwable failure = hang.failure();
            // JUnit's timeout extension is registered before the auto-detected watchdog, so it is the outer
            // interceptor: it interrupts the watchdog's wait, the watchdog answers with a HangError, and JUnit reports
            // a TimeoutException with that HangError suppressed. Were the order reversed, there would be no HangError.
            assertThat(failure).as("failure of a test that waits forever under @Timeout(1)")
                    .isInstanceOf(TimeoutException.class)
                    .hasMessageContaining("timed out after 1 second");
            assertThat(failure.getSuppressed()).as("what the watchdog added to JUnit's timeout")
                    .hasAtLeastOneElementOfType(HangError.class);
            HangError hangError = List.of(failure.getSuppressed()).stream()
                    .filter(HangError.class::isInstance).map(HangError.class::cast).findFirst().orElseThrow();
            assertThat(hangError.getMessage()).as("HangError message")
                    .contains("waitsForever() did not finish in time")
                    .contains("\"parlab-test-body\" WAITING")
                    .contains("parlab.testing.WatchdogTest$Hang.waitsForever(")
                    .contains("\"hang-worker\" WAITING")
                    .contains("java.util.concurrent.CountDownLatch.await(")
                    .contains("parlab.testing.Samples.await(");
            assertThat(hang.took()).as("time until the 1 s limit was reported").isLessThan(FAST);
        } finally {
            Hang.release.countDown();
            for (Thread worker : Hang.WORKERS) {
                worker.join(Duration.ofSeconds(5));
            }
        }
    }

    @Test
    void aFailingBodyFailsWithItsOwnExceptionUnwrapped() {
        assertThat(Samples.run(FailsPlainly.class).failure()).as("failure of a body that throws")
                .isExactlyInstanceOf(IllegalStateException.class)
                .hasMessage("the body's own failure");
    }

    @Test
    void aCycleOfTimedTryLocksIsNotADeadlockItsTimeoutBreaksIt() {
        Samples.run(TimedTryLockCycle.class).assertPassed();
    }

    @Test
    void aPassingBodyPasses() {
        Samples.run(Passes.class).assertPassed();
    }

    static void takeBoth(Object first, Object second, CountDownLatch bothHoldOne) {
        synchronized (first) {
            bothHoldOne.countDown();
            Samples.await(bothHoldOne);
            synchronized (second) {
                throw new AssertionError("unreachable: the other thread holds " + second);
            }
        }
    }

    static void takeBoth(ReentrantLock first, ReentrantLock second, CountDownLatch bothHoldOne) {
        try {
            first.lockInterruptibly();
            try {
                bothHoldOne.countDown();
                Samples.await(bothHoldOne);
                second.lockInterruptibly();
                second.unlock();
            } finally {
                first.unlock();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt(); // undone by the test's @AfterAll
        }
    }

    @Sample
    static class MonitorDeadlock {
        @Test
        void takesTwoMonitorsInOppositeOrder() throws InterruptedException {
            Object left = new Object();
            Object right = new Object();
            CountDownLatch bothHoldOne = new CountDownLatch(2);
            Thread a = Thread.ofPlatform().name("monitor-left").daemon().start(() -> takeBoth(left, right, bothHoldOne));
            Thread b = Thread.ofPlatform().name("monitor-right").daemon().start(() -> takeBoth(right, left, bothHoldOne));
            a.join();
            b.join();
        }
    }

    @Sample
    static class LockDeadlock {
        static final List<Thread> THREADS = new CopyOnWriteArrayList<>();

        @Test
        void takesTwoLocksInOppositeOrder() throws InterruptedException {
            ReentrantLock left = new ReentrantLock();
            ReentrantLock right = new ReentrantLock();
            CountDownLatch bothHoldOne = new CountDownLatch(2);
            Thread a = Thread.ofPlatform().name("lock-left").daemon().start(() -> takeBoth(left, right, bothHoldOne));
            Thread b = Thread.ofPlatform().name("lock-right").daemon().start(() -> takeBoth(right, left, bothHoldOne));
            THREADS.addAll(List.of(a, b));
            a.join();
            b.join();
        }
    }

    /** Each holds one lock and tries the other's for 300 ms (the JDK calls that a deadlock while it lasts). */
    @Sample
    static class TimedTryLockCycle {
        @Test
        void bothGiveUpAfterTheirTimeout() throws InterruptedException {
            ReentrantLock left = new ReentrantLock();
            ReentrantLock right = new ReentrantLock();
            CountDownLatch bothHoldOne = new CountDownLatch(2);
            Thread a = Thread.ofPlatform().name("try-left").start(() -> tryBoth(left, right, bothHoldOne));
            Thread b = Thread.ofPlatform().name("try-right").start(() -> tryBoth(right, left, bothHoldOne));
            a.join();
            b.join();
        }

        static void tryBoth(ReentrantLock first, ReentrantLock second, CountDownLatch bothHoldOne) {
            first.lock();
            try {
                bothHoldOne.countDown();
                Samples.await(bothHoldOne);
                if (second.tryLock(300, TimeUnit.MILLISECONDS)) {
                    second.unlock();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                first.unlock();
            }
        }
    }

    @Sample
    static class Hang {
        static volatile CountDownLatch release;
        static final List<Thread> WORKERS = new CopyOnWriteArrayList<>();

        @Test
        @Timeout(1)
        void waitsForever() throws InterruptedException {
            CountDownLatch latch = release;
            Thread worker = Thread.ofPlatform().name("hang-worker").daemon().start(() -> Samples.await(latch));
            WORKERS.add(worker);
            worker.join();
        }
    }

    @Sample
    static class FailsPlainly {
        @Test
        void throwsItsOwnException() {
            throw new IllegalStateException("the body's own failure");
        }
    }

    @Sample
    static class Passes {
        @Test
        void returns() {
            assertThat(Thread.currentThread().getName()).as("the watchdog runs the body on its own thread")
                    .isEqualTo("parlab-test-body");
        }
    }
}
