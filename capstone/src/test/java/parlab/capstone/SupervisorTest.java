package parlab.capstone;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiPredicate;
import org.junit.jupiter.api.Test;

/**
 * Milestone c02, the supervision core, with fake workers (no JVM, so every decision is checked exactly): results
 * come back, a worker never serves two chunks at once, a crash restarts the worker and retries the chunk after a
 * back-off that doubles up to its cap, a chunk that keeps crashing is quarantined, and close ends busy workers too.
 */
class SupervisorTest {
    /** A fixed pool: as many workers as the maximum, from the start (the minimum is capped at the maximum). */
    private static final Supervision POLICY = new Supervision(3, Duration.ofMillis(50), Duration.ofMillis(120),
            Duration.ofSeconds(10), 100, Duration.ofSeconds(5));
    /** A pool that starts one worker, grows on demand and ends a spare worker idle for 5 s. */
    private static final Supervision ELASTIC = POLICY.withPool(1, Duration.ofSeconds(5));

    /** A worker in this JVM: crashes when {@code crash} says so for (chunk, attempt of that chunk). */
    static final class FakeWorker implements Worker {
        final long pid;
        final BiPredicate<Chunk, Integer> crash;
        final Map<Integer, AtomicInteger> attempts;
        final AtomicBoolean busy = new AtomicBoolean();
        final CountDownLatch closed = new CountDownLatch(1);
        volatile boolean blockUntilClosed;
        /** When set, every parse waits for it (so that callers hold their workers at once). */
        volatile CountDownLatch gate;
        final AtomicBoolean servedTwoAtOnce = new AtomicBoolean();
        final List<Integer> served = new CopyOnWriteArrayList<>();

        FakeWorker(long pid, BiPredicate<Chunk, Integer> crash, Map<Integer, AtomicInteger> attempts) {
            this.pid = pid;
            this.crash = crash;
            this.attempts = attempts;
        }

        @Override
        public ChunkResult parse(Chunk chunk) throws WorkerCrashedException, InterruptedException {
            if (!busy.compareAndSet(false, true)) {
                servedTwoAtOnce.set(true);
            }
            try {
                if (closed.getCount() == 0) {
                    throw new WorkerCrashedException("fake " + pid + " is closed");
                }
                if (blockUntilClosed) {
                    closed.await();
                    throw new WorkerCrashedException("fake " + pid + " was killed");
                }
                CountDownLatch wait = gate;
                if (wait != null && !wait.await(10, TimeUnit.SECONDS)) {
                    throw new IllegalStateException("the test never opened the gate");
                }
                served.add(chunk.id());
                int attempt = attempts.computeIfAbsent(chunk.id(), id -> new AtomicInteger()).incrementAndGet();
                if (crash.test(chunk, attempt)) {
                    closed.countDown();
                    throw new WorkerCrashedException("fake " + pid + " crashed on chunk " + chunk.id());
                }
                return new ChunkResult(chunk, 1, 1, Map.of("chunk-" + chunk.id(), new StationStats(1, 1, 1, 1)),
                        List.of());
            } finally {
                busy.set(false);
            }
        }

        @Override
        public long pid() {
            return pid;
        }

        @Override
        public void close() {
            closed.countDown();
        }
    }

    /** Makes fakes and remembers them all. */
    static final class Fakes implements Worker.Factory {
        final List<FakeWorker> started = new CopyOnWriteArrayList<>();
        final Map<Integer, AtomicInteger> attempts = new java.util.concurrent.ConcurrentHashMap<>();
        final BiPredicate<Chunk, Integer> crash;
        /** How many of the next starts fail, as a start does when its new JVM is killed before it answers. */
        final AtomicInteger failingStarts = new AtomicInteger();
        /** The gate of every worker started from now on. */
        volatile CountDownLatch gate;
        /** The most workers ever alive at once. */
        final AtomicInteger mostAlive = new AtomicInteger();

        Fakes(BiPredicate<Chunk, Integer> crash) {
            this.crash = crash;
        }

        @Override
        public Worker start() throws IOException {
            if (failingStarts.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                throw new IOException("the new worker was killed while it started");
            }
            FakeWorker worker = new FakeWorker(100 + started.size(), crash, attempts);
            worker.gate = gate;
            started.add(worker);
            mostAlive.accumulateAndGet((int) alive(), Math::max);
            return worker;
        }

        long alive() {
            return started.stream().filter(w -> w.closed.getCount() > 0).count();
        }
    }

    /** Records what the supervisor tells the progress seam. */
    static final class Events implements Progress {
        final List<String> events = Collections.synchronizedList(new ArrayList<>());
        final List<Integer> alive = Collections.synchronizedList(new ArrayList<>());

        @Override
        public void committed(Chunk chunk, int done, int total) {
        }

        @Override
        public void workersAlive(int workers) {
            alive.add(workers);
        }

        @Override
        public void workerRestarted(long deadPid, long newPid, int restarts) {
            events.add("restarted " + deadPid + " -> " + newPid + " (" + restarts + ")");
        }

        @Override
        public void chunkRetried(Chunk chunk, int crashes, long backoffMillis) {
            events.add("retry " + chunk.id() + " after crash " + crashes + " in " + backoffMillis + " ms");
        }

        @Override
        public void chunkQuarantined(Chunk chunk, int crashes, String lastCrash) {
            events.add("quarantined " + chunk.id() + " after " + crashes);
        }
    }

    /** A clock that moves only when a test moves it or the supervisor sleeps; sleeps are recorded, not waited. */
    static final class FakeTime implements Sleeper {
        final List<Long> sleeps = new CopyOnWriteArrayList<>();
        final java.util.concurrent.atomic.AtomicLong now = new java.util.concurrent.atomic.AtomicLong(1_000_000_000L);

        @Override
        public void sleep(long millis) {
            sleeps.add(millis);
            advance(Duration.ofMillis(millis));
        }

        @Override
        public long nanoTime() {
            return now.get();
        }

        void advance(Duration by) {
            now.addAndGet(by.toNanos());
        }
    }

    private static Chunk chunk(int id) {
        return new Chunk(id, id * 100L, id * 100L + 100);
    }

    @Test
    void aHealthyPoolParsesEveryChunkAndNeverLendsAWorkerToTwoCallersAtOnce() throws Exception {
        Fakes fakes = new Fakes((chunk, attempt) -> false);
        List<Long> sleeps = new CopyOnWriteArrayList<>();
        try (Supervisor supervisor = new Supervisor(fakes, 2, POLICY, sleeps::add, Progress.NONE);
                ExecutorService callers = Executors.newFixedThreadPool(5)) {
            assertThat(fakes.started).as("the supervisor starts its workers up front").hasSize(2);
            List<Future<ChunkResult>> results = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                Chunk chunk = chunk(i);
                results.add(callers.submit(() -> supervisor.parse(chunk)));
            }
            for (int i = 0; i < results.size(); i++) {
                assertThat(results.get(i).get(10, TimeUnit.SECONDS).chunk()).as("result of chunk %d", i)
                        .isEqualTo(chunk(i));
            }
            assertThat(fakes.started).as("no crash, so no new worker").hasSize(2);
            assertThat(fakes.started).as("no worker served two chunks at once (5 callers, 2 workers)")
                    .noneMatch(w -> w.servedTwoAtOnce.get());
            assertThat(sleeps).as("no crash, no back-off").isEmpty();
            assertThat(supervisor.restarts()).as("restarts").isZero();
        }
        assertThat(fakes.alive()).as("workers alive after close").isZero();
    }

    @Test
    void aCrashedWorkerIsReplacedAndItsChunkRetriedAfterADoublingBackoff() throws Exception {
        Fakes fakes = new Fakes((chunk, attempt) -> chunk.id() == 5 && attempt <= 2);
        List<Long> sleeps = new CopyOnWriteArrayList<>();
        Events progress = new Events();
        try (Supervisor supervisor = new Supervisor(fakes, 2, POLICY, sleeps::add, progress)) {
            ChunkResult result = supervisor.parse(chunk(5));
            assertThat(result.stations()).as("the chunk's result after two crashes").containsOnlyKeys("chunk-5");
            assertThat(sleeps).as("back-off before each retry: 50 ms, then doubled").containsExactly(50L, 100L);
            assertThat(supervisor.restarts()).as("a new worker per crash").isEqualTo(2);
            assertThat(fakes.started).as("2 workers, then 2 replacements").hasSize(4);
            assertThat(fakes.alive()).as("the pool keeps its size").isEqualTo(2);
            assertThat(progress.events).as("what the progress seam is told, in order: restart, then retry")
                    .hasSize(4).satisfies(e -> {
                        assertThat(e.get(0)).as("first event").isEqualTo("restarted 100 -> 102 (1)");
                        assertThat(e.get(1)).as("second event").isEqualTo("retry 5 after crash 1 in 50 ms");
                        assertThat(e.get(2)).as("third event").matches("restarted 10[12] -> 103 \\(2\\)");
                        assertThat(e.get(3)).as("fourth event").isEqualTo("retry 5 after crash 2 in 100 ms");
                    });
            assertThat(supervisor.parse(chunk(6)).stations()).as("the pool still works").containsOnlyKeys("chunk-6");
        }
    }

    @Test
    void aReplacementThatFailsToStartIsStartedAgainAfterABackoffAndOnlyRepeatedFailuresReachTheCaller()
            throws Exception {
        Fakes fakes = new Fakes((chunk, attempt) -> chunk.id() == 5 && attempt == 1 || chunk.id() == 9);
        List<Long> sleeps = new CopyOnWriteArrayList<>();
        try (Supervisor supervisor = new Supervisor(fakes, 2, POLICY, sleeps::add, Progress.NONE)) {
            fakes.failingStarts.set(2);
            assertThat(supervisor.parse(chunk(5)).stations()).as("the chunk, after a crash and two failed starts of"
                    + " its worker's replacement").containsOnlyKeys("chunk-5");
            assertThat(sleeps).as("back-off before each new start (50, 100 ms), then before the retry (50 ms)")
                    .containsExactly(50L, 100L, 50L);
            assertThat(fakes.alive()).as("the pool keeps its size").isEqualTo(2);

            fakes.failingStarts.set(POLICY.maxCrashes());
            assertThatThrownBy(() -> supervisor.parse(chunk(9))).as("a crash whose worker can never be started"
                    + " again: the start's own failure, after maxCrashes tries").isInstanceOf(IOException.class)
                    .hasMessageContaining("killed while it started");
        }
    }

    @Test
    void theBackoffDoublesFromTheFirstAndStopsAtTheCapWithoutOverflow() throws Exception {
        Supervision policy = new Supervision(100, Duration.ofMillis(50), Duration.ofMillis(300),
                Duration.ofSeconds(10));
        try (Supervisor supervisor = new Supervisor(new Fakes((c, a) -> false), 1, policy, ms -> { },
                Progress.NONE)) {
            List<Long> backoffs = new ArrayList<>();
            for (int crashes = 1; crashes <= 6; crashes++) {
                backoffs.add(supervisor.backoffMillis(crashes));
            }
            assertThat(backoffs).as("back-off after crash 1..6").containsExactly(50L, 100L, 200L, 300L, 300L, 300L);
            assertThat(supervisor.backoffMillis(99)).as("back-off after crash 99 (2^98 would overflow)")
                    .isEqualTo(300L);
        }
    }

    @Test
    void aChunkThatCrashesEveryWorkerIsQuarantinedAfterMaxCrashesAndThePoolGoesOn() throws Exception {
        Fakes fakes = new Fakes((chunk, attempt) -> chunk.id() == 7);
        List<Long> sleeps = new CopyOnWriteArrayList<>();
        Events progress = new Events();
        try (Supervisor supervisor = new Supervisor(fakes, 2, POLICY, sleeps::add, progress)) {
            assertThatThrownBy(() -> supervisor.parse(chunk(7))).as("a poison chunk")
                    .isInstanceOfSatisfying(ChunkQuarantinedException.class, q -> {
                        assertThat(q.chunk()).as("the quarantined chunk").isEqualTo(chunk(7));
                        assertThat(q.crashes()).as("crashes before the quarantine").isEqualTo(3);
                    });
            assertThat(fakes.attempts.get(7).get()).as("tries of the poison chunk").isEqualTo(3);
            assertThat(sleeps).as("back-offs: after crash 1 and 2, none after the last").containsExactly(50L, 100L);
            assertThat(progress.events).as("the last event").last().isEqualTo("quarantined 7 after 3");
            assertThat(fakes.alive()).as("every crashed worker was replaced").isEqualTo(2);
            assertThat(supervisor.parse(chunk(8)).stations()).as("the next chunk parses").containsOnlyKeys("chunk-8");
        }
    }

    @Test
    void closeEndsBusyWorkersTooAndTheirCallerGivesUpInsteadOfRestarting() throws Exception {
        Fakes fakes = new Fakes((chunk, attempt) -> false);
        Supervisor supervisor = new Supervisor(fakes, 1, POLICY, ms -> { }, Progress.NONE);
        FakeWorker only = fakes.started.getFirst();
        only.blockUntilClosed = true;
        try (ExecutorService caller = Executors.newSingleThreadExecutor()) {
            Future<ChunkResult> busy = caller.submit(() -> supervisor.parse(chunk(1)));
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(5)).until(only.busy::get);
            supervisor.close();
            assertThatThrownBy(() -> busy.get(5, TimeUnit.SECONDS)).as("the busy caller after close")
                    .hasCauseInstanceOf(IllegalStateException.class);
        } finally {
            supervisor.close();
        }
        assertThat(fakes.started).as("no worker is started once closed").hasSize(1);
        assertThat(fakes.alive()).as("workers alive after close").isZero();
        assertThatThrownBy(() -> supervisor.parse(chunk(2))).as("parse on a closed supervisor")
                .isInstanceOf(IllegalStateException.class);
    }

    @Test
    void anElasticPoolStartsAtItsMinimumAndGrowsOnDemandUpToItsMaximumButNeverPastIt() throws Exception {
        Fakes fakes = new Fakes((chunk, attempt) -> false);
        CountDownLatch gate = new CountDownLatch(1);
        fakes.gate = gate;
        Events progress = new Events();
        List<Thread> callerThreads = new CopyOnWriteArrayList<>();
        try (Supervisor supervisor = new Supervisor(fakes, 3, ELASTIC, new FakeTime(), progress);
                ExecutorService callers = Executors.newFixedThreadPool(6, task -> {
                    Thread thread = new Thread(task, "caller-" + callerThreads.size());
                    callerThreads.add(thread);
                    return thread;
                })) {
            assertThat(fakes.started).as("workers started up front: the minimum").hasSize(1);
            List<Future<ChunkResult>> results = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                Chunk chunk = chunk(i);
                results.add(callers.submit(() -> supervisor.parse(chunk)));
            }
            // every caller now holds a worker (waiting at its gate) or waits for one: none can still start a worker
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> callerThreads.size() == 6
                    && callerThreads.stream().allMatch(t -> t.getState() == Thread.State.WAITING
                            || t.getState() == Thread.State.TIMED_WAITING));
            assertThat(fakes.started).as("6 chunks at once, at most 3 workers: the pool grew to its maximum")
                    .hasSize(3);
            gate.countDown();
            for (int i = 0; i < results.size(); i++) {
                assertThat(results.get(i).get(10, TimeUnit.SECONDS).chunk()).as("result of chunk %d", i)
                        .isEqualTo(chunk(i));
            }
            assertThat(fakes.started).as("no worker started past the maximum").hasSize(3);
            assertThat(fakes.mostAlive.get()).as("the most workers ever alive at once").isEqualTo(3);
            assertThat(fakes.started).as("no worker served two chunks at once").noneMatch(w -> w.servedTwoAtOnce.get());
            assertThat(progress.alive).as("sizes told to progress.workersAlive, in order").containsExactly(1, 2, 3);
        }
        assertThat(fakes.alive()).as("workers alive after close").isZero();
    }

    @Test
    void spareWorkersEndAfterTheIdleTimeoutDownToTheMinimumAndTheLastUsedOneStays() throws Exception {
        Fakes fakes = new Fakes((chunk, attempt) -> false);
        FakeTime time = new FakeTime();
        Events progress = new Events();
        try (Supervisor supervisor = new Supervisor(fakes, 3, ELASTIC, time, progress);
                ExecutorService callers = Executors.newFixedThreadPool(3)) {
            CountDownLatch gate = new CountDownLatch(1);
            fakes.gate = gate;
            fakes.started.getFirst().gate = gate;
            List<Future<ChunkResult>> burst = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                Chunk chunk = chunk(i);
                burst.add(callers.submit(() -> supervisor.parse(chunk)));
            }
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(5))
                    .until(() -> fakes.started.stream().filter(w -> w.busy.get()).count() == 3);
            gate.countDown();
            for (Future<ChunkResult> f : burst) {
                f.get(10, TimeUnit.SECONDS);
            }
            assertThat(fakes.alive()).as("workers alive after a burst of 3 chunks").isEqualTo(3);

            time.advance(Duration.ofSeconds(4));
            supervisor.parse(chunk(10));
            assertThat(fakes.alive()).as("alive after 4 s idle (the idle timeout is 5 s)").isEqualTo(3);
            FakeWorker lastUsed = fakes.started.stream().filter(w -> w.served.contains(10)).findFirst().orElseThrow();

            time.advance(Duration.ofSeconds(2));
            supervisor.parse(chunk(11));
            assertThat(fakes.alive()).as("alive once two workers were idle for 6 s: the minimum").isEqualTo(1);
            assertThat(lastUsed.served).as("the worker that stays is the one used last, and it served the next chunk")
                    .endsWith(10, 11);
            assertThat(lastUsed.closed.getCount()).as("the last used worker is still open").isOne();

            time.advance(Duration.ofMinutes(10));
            supervisor.parse(chunk(12));
            assertThat(fakes.alive()).as("alive after 10 idle minutes: never below the minimum").isEqualTo(1);
            assertThat(fakes.started).as("workers ever started").hasSize(3);
            assertThat(progress.alive).as("sizes told to progress.workersAlive, in order")
                    .containsExactly(1, 2, 3, 1);
        }
        assertThat(fakes.alive()).as("workers alive after close").isZero();
    }
}
