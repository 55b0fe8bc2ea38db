package parlab.stage2.workers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;
import static org.awaitility.Awaitility.await;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Callable;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.IntStream;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.Test;
import parlab.testing.Threads;

class LongRunningWorkerTest {
    /** Long enough that a worker which only notices a stop at its next heartbeat is caught stopping late. */
    private static final Duration SLOW_BEAT = Duration.ofSeconds(5);
    private static final Duration FAST_BEAT = Duration.ofMillis(20);
    /** The bound for stopping: 10x what a worker woken by its interrupt needs, even on a loaded machine. */
    private static final Duration STOP_BOUND = Duration.ofSeconds(1);
    private static final Duration QUIET = Duration.ofMillis(300);

    /** A factory that remembers the threads it made. */
    static final class RecordingFactory implements ThreadFactory {
        final List<Thread> made = new CopyOnWriteArrayList<>();

        @Override
        public Thread newThread(Runnable task) {
            Thread thread = new Thread(task, "long-worker-" + made.size());
            made.add(thread);
            return thread;
        }

        Thread only() {
            assertThat(made).as("threads made by the factory for one worker").hasSize(1);
            return made.getFirst();
        }
    }

    /** A clock the test sets by hand. */
    static final class ManualClock implements InstantSource {
        final AtomicReference<Instant> now = new AtomicReference<>(Instant.parse("2026-01-01T00:00:00Z"));

        @Override
        public Instant instant() {
            return now.get();
        }
    }

    private final BlockingQueue<Integer> queue = new LinkedBlockingQueue<>();
    private final RecordingFactory threads = new RecordingFactory();
    private final List<Integer> handled = new CopyOnWriteArrayList<>();

    private LongRunningWorker<Integer> recordingWorker(Duration beat) {
        return new LongRunningWorker<>(queue, handled::add, threads, InstantSource.system(), beat);
    }

    /** Waits until {@code condition} holds; fails with {@code what} if it does not within 5 s. */
    private static void eventually(String what, Callable<Boolean> condition) {
        try {
            await().atMost(Duration.ofSeconds(5)).until(condition);
        } catch (ConditionTimeoutException e) {
            throw new AssertionError("not within 5 s: " + what, e);
        }
    }

    /** Checks that {@code condition} holds all the time for {@code period}; fails with {@code what} if not. */
    private static void throughout(Duration period, String what, Callable<Boolean> condition) {
        try {
            await().during(period).atMost(period.multipliedBy(4)).until(condition);
        } catch (ConditionTimeoutException e) {
            throw new AssertionError("not true for " + period.toMillis() + " ms in a row: " + what, e);
        }
    }

    /**
     * For the tests where stopping is the question: a worker that does not stop must not hang the test in close(),
     * so these stop it and wait a bounded time instead (the test then fails on what it checked).
     */
    private static void stopBounded(LongRunningWorker<?> worker) throws InterruptedException {
        worker.stop();
        worker.awaitTermination(Duration.ofSeconds(2));
    }

    private static void awaitRunning(LongRunningWorker<?> worker) {
        eventually("the worker's first heartbeat after start()", () -> worker.heartbeats() >= 1);
    }

    private static void assertStopsWithinTheBound(LongRunningWorker<?> worker, Thread thread, String where)
            throws InterruptedException {
        long start = System.nanoTime();
        boolean ended = worker.awaitTermination(STOP_BOUND);
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        assertThat(ended).as("worker ended within %d ms of the interrupt while %s (took %d ms): the interrupt must "
                + "wake it, not its next heartbeat", STOP_BOUND.toMillis(), where, took.toMillis()).isTrue();
        assertThat(thread.isAlive()).as("worker thread alive after it stopped while %s", where).isFalse();
    }

    private static long cpuNanos(Thread thread) {
        return ManagementFactory.getThreadMXBean().getThreadCpuTime(thread.threadId());
    }

    /** The worker thread's CPU time over a second of wall-clock time in which it has nothing to do. */
    private void assertBurnsNoCpuWhile(LongRunningWorker<Integer> worker, String what, int expectedProcessed) {
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        assumeThat(mx.isThreadCpuTimeSupported() && mx.isThreadCpuTimeEnabled()).as("thread CPU time").isTrue();
        Thread thread = threads.only();
        long wallStart = System.nanoTime();
        long cpuStart = cpuNanos(thread);
        throughout(Duration.ofSeconds(1), "nothing handled while " + what,
                () -> worker.processed() == expectedProcessed);
        long cpu = cpuNanos(thread) - cpuStart;
        long wall = System.nanoTime() - wallStart;
        assertThat(Duration.ofNanos(cpu)).as("CPU time the worker thread used while %s for %d ms of wall time "
                + "(a worker that waits must block, not spin)", what, Duration.ofNanos(wall).toMillis())
                .isLessThan(Duration.ofMillis(30));
    }

    @Test
    void itHandlesEveryItemInQueueOrderOnItsOwnThread() {
        List<Thread> handlers = new CopyOnWriteArrayList<>();
        try (var worker = new LongRunningWorker<Integer>(queue, item -> {
            handlers.add(Thread.currentThread());
            handled.add(item);
        }, threads, InstantSource.system(), FAST_BEAT)) {
            worker.start();
            IntStream.range(0, 200).forEach(queue::add);
            eventually("all 200 items handled", () -> worker.processed() == 200);
            assertThat(handled).as("items in the order the handler saw them")
                    .containsExactlyElementsOf(IntStream.range(0, 200).boxed().toList());
            assertThat(handlers).as("threads that ran the handler: the one the factory made")
                    .containsOnly(threads.only());
        }
        assertThat(threads.made).as("worker threads alive after close()").noneMatch(Threads::stillAlive);
    }

    @Test
    void startingTwiceIsAnError() {
        try (var worker = recordingWorker(FAST_BEAT)) {
            worker.start();
            assertThatThrownBy(worker::start).as("a second start()").isInstanceOf(IllegalStateException.class);
            assertThat(threads.made).as("threads made after two start() calls").hasSize(1);
        }
    }

    @Test
    void aFailingItemCostsOnlyThatItem() {
        try (var worker = new LongRunningWorker<Integer>(queue, item -> {
            if (item == 3) {
                throw new IllegalStateException("bad item 3");
            }
            handled.add(item);
        }, threads, InstantSource.system(), FAST_BEAT)) {
            worker.start();
            IntStream.range(0, 10).forEach(queue::add);
            eventually("all 10 items handled or failed", () -> worker.processed() + worker.failures() == 10);
            assertThat(worker.failures()).as("failed items").isEqualTo(1);
            assertThat(worker.processed()).as("items handled without failure").isEqualTo(9);
            assertThat(threads.only().isAlive()).as("worker still running after a failed item").isTrue();
        }
    }

    @Test
    void stopEndsAnIdleWorkerAtOnce() throws InterruptedException {
        var worker = recordingWorker(SLOW_BEAT);
        try {
            worker.start();
            awaitRunning(worker);
            worker.stop();
            assertStopsWithinTheBound(worker, threads.only(), "idle, waiting for an item");
        } finally {
            stopBounded(worker);
        }
    }

    @Test
    void stopEndsAWorkerBlockedInsideItsHandler() throws InterruptedException {
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch never = new CountDownLatch(1);
        var worker = new LongRunningWorker<Integer>(queue, item -> {
            started.countDown();
            never.await(); // throws InterruptedException when the worker is interrupted
        }, threads, InstantSource.system(), SLOW_BEAT);
        try {
            worker.start();
            queue.add(1);
            queue.add(2);
            started.await();
            worker.stop();
            assertStopsWithinTheBound(worker, threads.only(), "blocked in a handler that throws "
                    + "InterruptedException (catching it and going on swallows the stop)");
            assertThat(queue).as("items left after the stop: the worker must not go on to the next one")
                    .containsExactly(2);
        } finally {
            stopBounded(worker);
        }
    }

    @Test
    void stopEndsAWorkerBusyInALongItemThatChecksTheInterruptStatus() throws InterruptedException {
        CountDownLatch started = new CountDownLatch(1);
        var worker = new LongRunningWorker<Integer>(queue, item -> {
            started.countDown();
            while (!Thread.currentThread().isInterrupted()) {
                Thread.onSpinWait(); // a long computation that checks for a stop now and then
            }
            // returns with the interrupt status still set
        }, threads, InstantSource.system(), SLOW_BEAT);
        try {
            worker.start();
            queue.add(1);
            queue.add(2);
            started.await();
            worker.stop();
            assertStopsWithinTheBound(worker, threads.only(), "busy in a long item that returned with the "
                    + "interrupt status set (the loop must check it)");
            assertThat(queue).as("items left after the stop: the worker must not go on to the next one")
                    .containsExactly(2);
        } finally {
            stopBounded(worker);
        }
    }

    @Test
    void anInterruptFromAnyoneStopsItToo() throws InterruptedException {
        var worker = recordingWorker(SLOW_BEAT);
        try {
            worker.start();
            awaitRunning(worker);
            threads.only().interrupt(); // not stop(): an interrupt is the request to stop, whoever sends it
            assertStopsWithinTheBound(worker, threads.only(), "idle, interrupted directly rather than by stop()");
        } finally {
            stopBounded(worker);
        }
    }

    @Test
    void stopEndsAPausedWorkerToo() throws InterruptedException {
        var worker = recordingWorker(SLOW_BEAT);
        try {
            worker.start();
            awaitRunning(worker);
            worker.pause();
            queue.add(1);
            worker.stop();
            assertStopsWithinTheBound(worker, threads.only(), "paused");
            assertThat(handled).as("items handled by a worker stopped while paused").isEmpty();
        } finally {
            stopBounded(worker);
        }
    }

    @Test
    void heartbeatsComeFromTheWorkersLoopAndTheGivenClock() {
        ManualClock clock = new ManualClock();
        try (var worker = new LongRunningWorker<>(queue, handled::add, threads, clock, FAST_BEAT)) {
            assertThat(worker.lastHeartbeat()).as("last heartbeat before start()").isEmpty();
            worker.start();
            for (int round = 1; round <= 3; round++) {
                Instant now = Instant.parse("2026-01-01T00:00:00Z").plusSeconds(round);
                clock.now.set(now);
                long seen = worker.heartbeats();
                eventually("two more heartbeats of an idle worker (interval %d ms)".formatted(FAST_BEAT.toMillis()),
                        () -> worker.heartbeats() >= seen + 2);
                assertThat(worker.lastHeartbeat()).as("last heartbeat: the clock's instant when it beat")
                        .contains(now);
            }
        }
    }

    @Test
    void heartbeatsStopWhenTheWorkerStops() {
        LongRunningWorker<Integer> stopped;
        try (var worker = recordingWorker(FAST_BEAT)) {
            worker.start();
            awaitRunning(worker);
            stopped = worker;
        }
        long beats = stopped.heartbeats();
        throughout(QUIET, "no heartbeat after close(): a stopped worker must not look alive",
                () -> stopped.heartbeats() == beats);
    }

    @Test
    void heartbeatsStopWhileAHandlerHangs() throws InterruptedException {
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        try (var worker = new LongRunningWorker<Integer>(queue, item -> {
            started.countDown();
            release.await();
        }, threads, InstantSource.system(), FAST_BEAT)) {
            worker.start();
            queue.add(1);
            started.await();
            long beats = worker.heartbeats();
            throughout(QUIET, "no heartbeat while the handler hangs: only the worker's own loop may beat, so that "
                    + "a supervisor can tell a stuck worker", () -> worker.heartbeats() == beats);
            release.countDown();
            eventually("a heartbeat after the handler returned", () -> worker.heartbeats() > beats);
        }
    }

    @Test
    void aPausedWorkerHandlesNothingUntilResumed() {
        try (var worker = recordingWorker(FAST_BEAT)) {
            worker.start();
            awaitRunning(worker);
            worker.pause();
            assertThat(worker.isPaused()).as("isPaused() after pause()").isTrue();
            IntStream.range(0, 5).forEach(queue::add);
            long beats = worker.heartbeats();
            throughout(QUIET, "no item handled while paused (check the flag again once an item has come)",
                    () -> handled.isEmpty() && worker.processed() == 0);
            assertThat(worker.heartbeats()).as("heartbeats while paused (a paused worker is still alive)")
                    .isGreaterThan(beats);
            assertThat(queue.size()).as("items left in the queue while paused (at most one may be held)")
                    .isGreaterThanOrEqualTo(4);
            worker.resume();
            assertThat(worker.isPaused()).as("isPaused() after resume()").isFalse();
            eventually("all 5 items handled after resume()", () -> worker.processed() == 5);
            assertThat(handled).as("items handled after resume(), in queue order").containsExactly(0, 1, 2, 3, 4);
        }
    }

    @Test
    void anIdleWorkerBurnsNoCpu() {
        try (var worker = recordingWorker(FAST_BEAT)) {
            worker.start();
            awaitRunning(worker);
            assertBurnsNoCpuWhile(worker, "idle", 0);
        }
    }

    @Test
    void aPausedWorkerBurnsNoCpu() {
        try (var worker = recordingWorker(FAST_BEAT)) {
            worker.start();
            awaitRunning(worker);
            worker.pause();
            queue.add(1);
            assertBurnsNoCpuWhile(worker, "paused with an item waiting", 0);
        }
    }
}
