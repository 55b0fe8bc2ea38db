package parlab.stage3.async;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import parlab.testing.Threads;

class AsyncFrontTest {
    private static final Duration LONG = Duration.ofSeconds(30); // a time limit no test is meant to reach
    private static final long PATIENCE_SECONDS = 5;

    /** A factory for the CPU pool that remembers every thread it made. */
    static final class RecordingFactory implements ThreadFactory {
        final List<Thread> made = new CopyOnWriteArrayList<>();

        @Override
        public Thread newThread(Runnable task) {
            Thread thread = new Thread(task, "cpu-" + made.size());
            made.add(thread);
            return thread;
        }
    }

    /**
     * A backend the test controls, by key: {@code "hang..."} waits until interrupted (recording that it was),
     * {@code "fail"} throws {@link #failure}, {@code "meet-N"} waits until N such fetches are in flight at once, any
     * other key answers its upper case at once. It records the threads that fetched.
     */
    static final class ScriptedBackend implements Backend {
        final IOException failure = new IOException("the backend is down");
        final Set<Thread> threads = ConcurrentHashMap.newKeySet();
        final Set<String> interrupted = ConcurrentHashMap.newKeySet();
        final CountDownLatch hangInterrupted = new CountDownLatch(1);
        final Set<String> answered = ConcurrentHashMap.newKeySet();
        volatile CountDownLatch meeting = new CountDownLatch(0);

        @Override
        public String fetch(String key) throws Exception {
            threads.add(Thread.currentThread());
            if (key.startsWith("hang")) {
                try {
                    new CountDownLatch(1).await(PATIENCE_SECONDS * 3, TimeUnit.SECONDS);
                    return "never interrupted";
                } catch (InterruptedException e) {
                    interrupted.add(key);
                    hangInterrupted.countDown();
                    throw e;
                }
            }
            if (key.equals("fail")) {
                throw failure;
            }
            if (key.startsWith("meet")) {
                meeting.countDown();
                if (!meeting.await(PATIENCE_SECONDS, TimeUnit.SECONDS)) {
                    return "alone";
                }
            }
            answered.add(key);
            return key.toUpperCase();
        }
    }

    /** A CPU task that waits on a gate (a stand-in for a long computation), recording where and how many ran. */
    static final class GatedTask implements CpuTask<String> {
        final CountDownLatch gate = new CountDownLatch(1);
        final AtomicInteger running = new AtomicInteger();
        final AtomicInteger mostAtOnce = new AtomicInteger();
        final Set<Thread> threads = ConcurrentHashMap.newKeySet();

        @Override
        public String compute(List<String> fetched) throws InterruptedException {
            threads.add(Thread.currentThread());
            mostAtOnce.accumulateAndGet(running.incrementAndGet(), Math::max);
            try {
                gate.await(PATIENCE_SECONDS * 3, TimeUnit.SECONDS);
                return "computed " + fetched;
            } finally {
                running.decrementAndGet();
            }
        }
    }

    /** A CPU task that computes until it is interrupted, like a well-behaved long computation. */
    static final class EndlessTask implements CpuTask<Long> {
        final CountDownLatch started = new CountDownLatch(1);
        final CountDownLatch sawInterrupt = new CountDownLatch(1);
        final AtomicBoolean ran = new AtomicBoolean();

        @Override
        public Long compute(List<String> fetched) throws InterruptedException {
            ran.set(true);
            started.countDown();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(PATIENCE_SECONDS * 3);
            long x = 1;
            while (System.nanoTime() < deadline) {
                x = x * 6364136223846793005L + 1442695040888963407L;
                if (Thread.interrupted()) {
                    sawInterrupt.countDown();
                    throw new InterruptedException("cancelled after computing for a while");
                }
            }
            return x;
        }
    }

    static <T> T within(CompletableFuture<T> future, String what) throws Exception {
        try {
            return future.get(PATIENCE_SECONDS, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            throw new AssertionError(what + " was not complete after " + PATIENCE_SECONDS + " s");
        }
    }

    /** What the request failed with (the cause inside the ExecutionException), within the patience. */
    static Throwable failureOf(CompletableFuture<?> future, String what) throws Exception {
        try {
            Object value = future.get(PATIENCE_SECONDS, TimeUnit.SECONDS);
            throw new AssertionError(what + " succeeded with " + value + " instead of failing");
        } catch (ExecutionException e) {
            return e.getCause();
        } catch (CancellationException e) {
            return e;
        } catch (TimeoutException e) {
            throw new AssertionError(what + " had not failed after " + PATIENCE_SECONDS + " s");
        }
    }

    /** The CPU pool's threads end soon after close(): a terminated pool's workers are on their way out. */
    static void assertEnded(RecordingFactory cpuFactory) throws InterruptedException {
        for (Thread thread : cpuFactory.made) {
            thread.join(TimeUnit.SECONDS.toMillis(PATIENCE_SECONDS));
        }
        assertThat(cpuFactory.made).as("CPU threads alive " + PATIENCE_SECONDS + " s after close(): shut the CPU pool "
                + "down and wait for it to terminate").noneMatch(Threads::stillAlive);
    }

    static void await(CountDownLatch latch, String what) throws InterruptedException {
        if (!latch.await(PATIENCE_SECONDS, TimeUnit.SECONDS)) {
            throw new AssertionError(what + " did not happen within " + PATIENCE_SECONDS + " s");
        }
    }

    /** Runs a call that must not block (lookup, analyse) on a thread of its own, and fails if it does. */
    static <T> T returnsAtOnce(Callable<T> call, String what) throws Throwable {
        FutureTask<T> task = new FutureTask<>(call);
        Thread caller = Thread.ofPlatform().name("front-caller").start(task);
        try {
            return task.get(PATIENCE_SECONDS, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw e.getCause();
        } catch (TimeoutException e) {
            caller.interrupt();
            throw new AssertionError(what + " did not return within " + PATIENCE_SECONDS + " s: it must hand the work "
                    + "over and return a future at once, not wait for the work");
        } finally {
            caller.join(TimeUnit.SECONDS.toMillis(PATIENCE_SECONDS));
        }
    }

    @Test
    void theKeysOfARequestAreFetchedConcurrentlyOnVirtualThreads() throws Exception {
        ScriptedBackend backend = new ScriptedBackend();
        backend.meeting = new CountDownLatch(10);
        RecordingFactory cpuFactory = new RecordingFactory();
        try (AsyncFront front = new AsyncFront(backend, 2, cpuFactory, LONG)) {
            List<String> keys = IntStream.range(0, 10).mapToObj(i -> "meet-" + i).toList();
            String answer = within(front.lookup(keys), "a lookup of 10 keys");
            assertThat(answer).as("values in key order; \"ALONE\" means a fetch waited 5 s for the other 9 to be in "
                    + "flight at the same time: are the fetches really concurrent?")
                    .isEqualTo(String.join(",", keys.stream().map(String::toUpperCase).toList()));
        }
        assertThat(backend.threads).as("threads that fetched: one virtual thread per fetch").hasSize(10)
                .allMatch(Thread::isVirtual, "is virtual");
        assertThat(cpuFactory.made).as("CPU threads made for lookups, which need none").isEmpty();
    }

    @Test
    void theFrontAnswersLookupsWhileTheCpuPoolIsSaturated() throws Throwable {
        ScriptedBackend backend = new ScriptedBackend();
        RecordingFactory cpuFactory = new RecordingFactory();
        GatedTask heavy = new GatedTask();
        try (AsyncFront front = new AsyncFront(backend, 2, cpuFactory, LONG)) {
            List<CompletableFuture<String>> analyses = new CopyOnWriteArrayList<>();
            for (int i = 0; i < 4; i++) {
                List<String> keys = List.of("a" + i, "b" + i);
                analyses.add(returnsAtOnce(() -> front.analyse(keys, heavy), "analyse(...) with a busy CPU pool"));
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(PATIENCE_SECONDS);
            while (heavy.running.get() < 2 && System.nanoTime() < deadline) {
                Thread.sleep(1); // polling the test's own counter
            }
            assertThat(heavy.running.get()).as("CPU tasks running while the first 4 wait on the gate: the pool's 2")
                    .isEqualTo(2);

            String answer = within(returnsAtOnce(() -> front.lookup(List.of("x", "y")), "lookup(...)"),
                    "a lookup while every CPU thread is busy (the front must not wait for the CPU pool)");
            assertThat(answer).as("the lookup's answer").isEqualTo("X,Y");
            assertThat(analyses).as("analyses complete before their CPU tasks were let go").noneMatch(
                    CompletableFuture::isDone);

            heavy.gate.countDown();
            for (int i = 0; i < 4; i++) {
                assertThat(within(analyses.get(i), "analysis " + i + " after the gate opened"))
                        .as("analysis %d: the task's result on the values in key order", i)
                        .isEqualTo("computed [A" + i + ", B" + i + "]");
            }
        }
        assertThat(heavy.mostAtOnce.get()).as("CPU tasks at the same time, with a CPU pool of 2").isEqualTo(2);
        assertThat(cpuFactory.made).as("CPU threads made: at most the pool's 2").hasSizeBetween(1, 2);
        assertEnded(cpuFactory);
        assertThat(heavy.threads).as("threads that ran CPU tasks: only the CPU pool's")
                .allMatch(cpuFactory.made::contains, "made by the CPU pool's factory");
        assertThat(backend.threads).as("threads that fetched: virtual, never a CPU thread")
                .allMatch(Thread::isVirtual, "is virtual").doesNotContainAnyElementsOf(cpuFactory.made);
    }

    @Test
    void aFetchThatTakesTooLongFailsTheRequestWithATimeoutAndIsInterrupted() throws Exception {
        ScriptedBackend backend = new ScriptedBackend();
        try (AsyncFront front = new AsyncFront(backend, 1, new RecordingFactory(), Duration.ofMillis(300))) {
            Throwable failure = failureOf(front.lookup(List.of("quick", "hang")), "a lookup whose fetch hangs");
            assertThat(failure).as("why the lookup failed").isInstanceOf(RequestTimeoutException.class)
                    .hasMessageContaining("300 ms");
            await(backend.hangInterrupted, "the interrupt of the hanging fetch after the time-out");
        }
    }

    @Test
    void aCpuTaskThatTakesTooLongIsInterruptedAtTheTimeout() throws Exception {
        EndlessTask endless = new EndlessTask();
        RecordingFactory cpuFactory = new RecordingFactory();
        try (AsyncFront front = new AsyncFront(new ScriptedBackend(), 1, cpuFactory, Duration.ofMillis(300))) {
            Throwable failure = failureOf(front.analyse(List.of("a"), endless), "an analysis whose task never ends");
            assertThat(failure).as("why the analysis failed").isInstanceOf(RequestTimeoutException.class)
                    .hasMessageContaining("300 ms");
            await(endless.sawInterrupt, "the interrupt of the CPU task after the time-out (a timed-out future does "
                    + "not stop the code computing its value: the front must interrupt it)");
        }
        assertEnded(cpuFactory);
    }

    @Test
    void cancellingARequestReachesItsRunningCpuTask() throws Throwable {
        EndlessTask endless = new EndlessTask();
        try (AsyncFront front = new AsyncFront(new ScriptedBackend(), 1, new RecordingFactory(), LONG)) {
            CompletableFuture<Long> request = returnsAtOnce(() -> front.analyse(List.of("a"), endless),
                    "analyse(...) with a long CPU task");
            await(endless.started, "the start of the CPU task");
            request.cancel(true);
            await(endless.sawInterrupt, "the interrupt of the running CPU task after cancel(true) (cancelling a "
                    + "CompletableFuture does not interrupt anything by itself)");
            CpuTask<String> next = fetched -> "next " + fetched;
            String answer = within(front.analyse(List.of("b"), next), "the next analysis on the only CPU thread");
            assertThat(answer).as("the next analysis").isEqualTo("next [B]");
        }
    }

    @Test
    void aCancelledRequestsQueuedCpuTaskNeverStarts() throws Throwable {
        GatedTask blocker = new GatedTask();
        EndlessTask queued = new EndlessTask();
        ScriptedBackend backend = new ScriptedBackend();
        try (AsyncFront front = new AsyncFront(backend, 1, new RecordingFactory(), LONG)) {
            CompletableFuture<String> first = returnsAtOnce(() -> front.analyse(List.of("a"), blocker),
                    "analyse(...) with a long CPU task");
            org.awaitility.Awaitility.await("the first CPU task running on the only CPU thread")
                    .atMost(PATIENCE_SECONDS, TimeUnit.SECONDS).until(() -> blocker.running.get() == 1);
            CompletableFuture<Long> second = returnsAtOnce(() -> front.analyse(List.of("b"), queued),
                    "analyse(...) with a busy CPU pool");
            org.awaitility.Awaitility.await("the fetch of the second request")
                    .atMost(PATIENCE_SECONDS, TimeUnit.SECONDS).until(() -> backend.answered.contains("b"));
            second.cancel(false);
            blocker.gate.countDown();
            within(first, "the first analysis");
            CpuTask<String> third = fetched -> "third " + fetched;
            String answer = within(front.analyse(List.of("c"), third), "a third analysis");
            assertThat(answer).as("the third analysis").isEqualTo("third [C]");
            assertThat(queued.ran).as("the CPU task of a request cancelled before it started: it must never run")
                    .isFalse();
        }
    }

    @Test
    void aFailedFetchFailsTheRequestAtOnceAndInterruptsTheOtherFetches() throws Exception {
        ScriptedBackend backend = new ScriptedBackend();
        try (AsyncFront front = new AsyncFront(backend, 1, new RecordingFactory(), LONG)) {
            Throwable failure = failureOf(front.lookup(List.of("hang", "fail")), "a lookup with a failing fetch, "
                    + "while its other fetch hangs (waiting for all the fetches before failing is too late)");
            assertThat(failure).as("why the lookup failed: the fetch's own exception").isSameAs(backend.failure);
            await(backend.hangInterrupted, "the interrupt of the other fetch once the request had failed");
        }
    }

    @Test
    void closeCancelsWhatIsInFlightAndEndsThePools() throws Throwable {
        ScriptedBackend backend = new ScriptedBackend();
        RecordingFactory cpuFactory = new RecordingFactory();
        EndlessTask endless = new EndlessTask();
        AsyncFront front = new AsyncFront(backend, 2, cpuFactory, LONG);
        try {
            CompletableFuture<Long> analysis = returnsAtOnce(() -> front.analyse(List.of("a"), endless),
                    "analyse(...) with a long CPU task");
            CompletableFuture<String> lookup = returnsAtOnce(() -> front.lookup(List.of("hang")),
                    "lookup(...) with a hanging fetch");
            await(endless.started, "the start of the CPU task");
            returnsAtOnce(() -> {
                front.close();
                return null;
            }, "close() with a CPU task that runs until interrupted, and a hanging fetch,");
            assertThat(failureOf(analysis, "the analysis in flight at close()")).as("the analysis at close()")
                    .isInstanceOf(CancellationException.class);
            assertThat(failureOf(lookup, "the lookup in flight at close()")).as("the lookup at close()")
                    .isInstanceOf(CancellationException.class);
            await(endless.sawInterrupt, "the interrupt of the CPU task at close()");
            assertThat(cpuFactory.made).as("CPU threads made").isNotEmpty();
            assertEnded(cpuFactory);
            assertThatThrownBy(() -> front.lookup(List.of("x"))).as("a lookup after close()")
                    .isInstanceOf(IllegalStateException.class);
        } finally {
            front.close(); // a second close() changes nothing; this one only matters if the test failed
        }
    }
}
