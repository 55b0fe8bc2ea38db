package parlab.stage3.autoscale;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import org.junit.jupiter.api.Test;
import parlab.stage3.autoscale.ScalingControllerTest.FakeClock;
import parlab.testing.Threads;

class ElasticPoolTest {
    static final Duration WAIT = Duration.ofSeconds(5);

    /** A factory that remembers every thread it made. */
    static final class RecordingFactory implements ThreadFactory {
        final List<Thread> made = new CopyOnWriteArrayList<>();

        @Override
        public Thread newThread(Runnable task) {
            Thread thread = new Thread(task, "elastic-worker-" + made.size());
            made.add(thread);
            return thread;
        }

        long alive() {
            return made.stream().filter(Thread::isAlive).count();
        }
    }

    static ScalingPolicy policy(int min, int max) {
        return new ScalingPolicy(min, max, 10, Duration.ofSeconds(1), Duration.ofSeconds(30));
    }

    /** A task that says it started, then waits for the gate; counts its runs and whether it was interrupted. */
    static Runnable gated(CountDownLatch gate, AtomicInteger started, AtomicIntegerArray runs, int index,
                          AtomicInteger interrupted) {
        return () -> {
            started.incrementAndGet();
            try {
                if (!gate.await(10, java.util.concurrent.TimeUnit.SECONDS)) {
                    throw new AssertionError("the gate never opened");
                }
            } catch (InterruptedException e) {
                interrupted.incrementAndGet();
            }
            runs.incrementAndGet(index);
        };
    }

    static void assertEachRanOnce(AtomicIntegerArray runs, String when) {
        for (int i = 0; i < runs.length(); i++) {
            assertThat(runs.get(i)).as("runs of task %d of %d %s (exactly once: none lost, none run twice)", i,
                    runs.length(), when).isEqualTo(1);
        }
    }

    @Test
    void startsWithMinWorkersFromTheFactory() {
        RecordingFactory factory = new RecordingFactory();
        ElasticPool pool = new ElasticPool(new ScalingController(policy(2, 8), new FakeClock()), factory, new FakeClock());
        try (pool) {
            assertThat(pool.workers()).as("size of a new pool with minWorkers = 2").isEqualTo(2);
            assertThat(factory.made).as("threads made by the factory for a new pool").hasSize(2);
        }
        assertThat(factory.made).as("threads alive after close()").noneMatch(Threads::stillAlive);
    }

    @Test
    void aBacklogGrowsThePoolAtTheNextTickAndTheCooldownShrinksIt() {
        FakeClock clock = new FakeClock();
        RecordingFactory factory = new RecordingFactory();
        CountDownLatch gate = new CountDownLatch(1);
        AtomicInteger started = new AtomicInteger();
        AtomicInteger interrupted = new AtomicInteger();
        AtomicIntegerArray runs = new AtomicIntegerArray(40);
        try (ElasticPool pool = new ElasticPool(new ScalingController(policy(1, 8), clock), factory, clock)) {
            for (int i = 0; i < runs.length(); i++) {
                pool.submit(gated(gate, started, runs, i, interrupted));
            }
            await().atMost(WAIT).untilAsserted(() -> assertThat(started).as("tasks started by the only worker").hasValue(1));
            assertThat(pool.tick()).as("size after a tick with 39 waiting (10 per worker)").isEqualTo(4);
            assertThat(pool.workers()).as("workers() after growing").isEqualTo(4);
            await().atMost(WAIT).untilAsserted(() -> assertThat(started).as("tasks started by 4 workers").hasValue(4));
            assertThat(pool.tick()).as("size after a tick with 36 waiting").isEqualTo(4);
            assertThat(factory.made).as("threads made by the factory after growing to 4").hasSize(4);

            gate.countDown();
            await().atMost(WAIT).untilAsserted(() -> assertThat(pool.queueDepth()).as("tasks waiting").isZero());
            await().atMost(WAIT).until(() -> sum(runs) == runs.length());
            clock.advance(Duration.ofSeconds(29));
            assertThat(pool.tick()).as("size 29 s after growing, queue empty (cooldown 30 s)").isEqualTo(4);
            clock.advance(Duration.ofSeconds(1));
            assertThat(pool.tick()).as("size 30 s after growing, queue empty").isEqualTo(1);
            await().atMost(WAIT).untilAsserted(() -> assertThat(factory.alive())
                    .as("threads alive after shrinking from 4 to 1: the idle surplus must be woken and end")
                    .isEqualTo(1));
        }
        assertEachRanOnce(runs, "after growing and shrinking");
        assertThat(interrupted).as("tasks interrupted by the pool").hasValue(0);
        assertThat(factory.made).as("threads alive after close()").noneMatch(Threads::stillAlive);
    }

    private static int sum(AtomicIntegerArray runs) {
        int sum = 0;
        for (int i = 0; i < runs.length(); i++) {
            sum += runs.get(i);
        }
        return sum;
    }

    @Test
    void theOldestWaitGrowsThePoolOneWorkerPerTickUpToItsBound() {
        FakeClock clock = new FakeClock();
        RecordingFactory factory = new RecordingFactory();
        CountDownLatch gate = new CountDownLatch(1);
        AtomicInteger started = new AtomicInteger();
        AtomicInteger interrupted = new AtomicInteger();
        AtomicIntegerArray runs = new AtomicIntegerArray(12);
        try (ElasticPool pool = new ElasticPool(new ScalingController(policy(1, 4), clock), factory, clock)) {
            for (int i = 0; i < runs.length(); i++) {
                pool.submit(gated(gate, started, runs, i, interrupted));
            }
            clock.advance(Duration.ofSeconds(2));
            int[] sizes = new int[5];
            for (int tick = 0; tick < sizes.length; tick++) {
                sizes[tick] = pool.tick();
            }
            assertThat(sizes).as("sizes over 5 ticks while the oldest of ~11 waiting tasks has waited 2 s (target "
                    + "1 s, maxWorkers 4)").containsExactly(2, 3, 4, 4, 4);
            assertThat(factory.made).as("threads made with maxWorkers = 4").hasSize(4);
            gate.countDown();
        }
        assertEachRanOnce(runs, "after close()");
    }

    @Test
    void idleWorkersAreWokenToRetire() {
        RecordingFactory factory = new RecordingFactory();
        try (ElasticPool pool = new ElasticPool(new ScalingController(policy(1, 8), new FakeClock()), factory,
                new FakeClock())) {
            pool.resize(6);
            assertThat(factory.made).as("threads after resize(6)").hasSize(6);
            await().atMost(WAIT).untilAsserted(() -> assertThat(factory.made)
                    .as("states of 6 workers with nothing to do: each should be blocked waiting for a task")
                    .allMatch(t -> t.getState() == Thread.State.WAITING || t.getState() == Thread.State.TIMED_WAITING));
            pool.resize(2);
            assertThat(pool.workers()).as("workers() after resize(2)").isEqualTo(2);
            await().atMost(WAIT).untilAsserted(() -> assertThat(factory.alive())
                    .as("threads alive after resize(2) with no task at all: idle workers blocked waiting for "
                            + "work must be woken to retire").isEqualTo(2));
            pool.resize(5);
            await().atMost(WAIT).untilAsserted(() -> assertThat(factory.alive()).as("threads alive after resize(5)")
                    .isEqualTo(5));
            assertThatThrownBy(() -> pool.resize(0)).as("resize(0)").isInstanceOf(IllegalArgumentException.class);
        }
        assertThat(factory.made).as("threads alive after close()").noneMatch(Threads::stillAlive);
    }

    @Test
    void retiringWorkersFinishTheirTaskAndAreNeverInterrupted() {
        RecordingFactory factory = new RecordingFactory();
        CountDownLatch gate = new CountDownLatch(1);
        AtomicInteger started = new AtomicInteger();
        AtomicInteger interrupted = new AtomicInteger();
        AtomicIntegerArray runs = new AtomicIntegerArray(4);
        try (ElasticPool pool = new ElasticPool(new ScalingController(policy(1, 8), new FakeClock()), factory,
                new FakeClock())) {
            pool.resize(4);
            for (int i = 0; i < runs.length(); i++) {
                pool.submit(gated(gate, started, runs, i, interrupted));
            }
            await().atMost(WAIT).untilAsserted(() -> assertThat(started).as("tasks started by 4 workers").hasValue(4));
            pool.resize(1);
            gate.countDown();
            await().atMost(WAIT).until(() -> sum(runs) == runs.length());
            await().atMost(WAIT).untilAsserted(() -> assertThat(factory.alive())
                    .as("threads alive once the 3 surplus workers finished their tasks").isEqualTo(1));
        }
        assertThat(interrupted).as("tasks interrupted while their worker was retiring (a worker leaves between "
                + "tasks, never by interrupt)").hasValue(0);
        assertEachRanOnce(runs, "after shrinking from 4 to 1 mid-task");
    }

    @Test
    void losesNoTaskWhileResizing() throws InterruptedException {
        RecordingFactory factory = new RecordingFactory();
        int perProducer = 3_000;
        AtomicIntegerArray runs = new AtomicIntegerArray(2 * perProducer);
        Thread[] producers = new Thread[2];
        try (ElasticPool pool = new ElasticPool(new ScalingController(policy(1, 8), new FakeClock()), factory,
                new FakeClock())) {
            for (int p = 0; p < producers.length; p++) {
                int offset = p * perProducer;
                producers[p] = new Thread(() -> {
                    for (int i = 0; i < perProducer; i++) {
                        int index = offset + i;
                        pool.submit(() -> runs.incrementAndGet(index));
                        if (i % 100 == 0) {
                            Thread.yield();
                        }
                    }
                }, "producer-" + p);
                producers[p].start();
            }
            Random random = new Random(11);
            while (producers[0].isAlive() || producers[1].isAlive()) {
                pool.resize(1 + random.nextInt(8));
                Thread.yield();
            }
            for (Thread producer : producers) {
                producer.join();
            }
            pool.resize(1 + random.nextInt(8));
        }
        assertEachRanOnce(runs, "submitted by 2 producers while the pool was resized between 1 and 8");
        assertThat(factory.made).as("threads alive after close()").noneMatch(Threads::stillAlive);
    }

    @Test
    void closeRunsEveryQueuedTaskAndEndsEveryThread() {
        RecordingFactory factory = new RecordingFactory();
        AtomicIntegerArray runs = new AtomicIntegerArray(200);
        ElasticPool pool = new ElasticPool(new ScalingController(policy(2, 8), new FakeClock()), factory,
                new FakeClock());
        try (pool) {
            for (int i = 0; i < runs.length(); i++) {
                int index = i;
                pool.submit(() -> {
                    Thread.onSpinWait();
                    runs.incrementAndGet(index);
                });
            }
        }
        assertEachRanOnce(runs, "when close() returned (it runs every queued task first)");
        assertThat(factory.made).as("threads alive when close() returned: close waits for every one")
                .noneMatch(Threads::stillAlive);
        assertThatThrownBy(() -> pool.submit(() -> { })).as("submit after close()")
                .isInstanceOf(RejectedExecutionException.class);
    }

    @Test
    void aFailingTaskDoesNotKillItsWorker() {
        RecordingFactory factory = new RecordingFactory();
        AtomicIntegerArray runs = new AtomicIntegerArray(10);
        try (ElasticPool pool = new ElasticPool(new ScalingController(policy(1, 1), new FakeClock()), factory,
                new FakeClock())) {
            pool.submit(() -> {
                throw new IllegalStateException("a task that fails (expected by the test)");
            });
            for (int i = 0; i < runs.length(); i++) {
                int index = i;
                pool.submit(() -> runs.incrementAndGet(index));
            }
        }
        assertEachRanOnce(runs, "queued behind a task that threw, on a 1-worker pool");
    }
}
