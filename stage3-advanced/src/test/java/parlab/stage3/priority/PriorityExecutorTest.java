package parlab.stage3.priority;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import parlab.testing.Threads;

class PriorityExecutorTest {
    static final Duration STEP = Duration.ofMillis(100);

    /** A clock that moves only when the test (or a task) says so; safe to read from any thread. */
    static final class FakeClock implements Clock {
        private final AtomicLong now = new AtomicLong(7_000_000_000L); // an arbitrary origin

        @Override
        public long nanoTime() {
            return now.get();
        }

        void advance(Duration duration) {
            now.addAndGet(duration.toNanos());
        }
    }

    /** A factory that remembers every thread it made. */
    static final class RecordingFactory implements ThreadFactory {
        final List<Thread> made = new CopyOnWriteArrayList<>();

        @Override
        public Thread newThread(Runnable task) {
            Thread thread = new Thread(task, "priority-worker-" + made.size());
            made.add(thread);
            return thread;
        }
    }

    /** Occupies the executor's only worker until {@link #open()}, so that tasks pile up in the queue meanwhile. */
    static final class Gate {
        final CountDownLatch held = new CountDownLatch(1);
        final CountDownLatch gate = new CountDownLatch(1);

        Gate(PriorityExecutor executor) throws InterruptedException {
            executor.submit(PriorityExecutor.HIGHEST, () -> {
                held.countDown();
                return gate.await(10, TimeUnit.SECONDS);
            });
            assertThat(held.await(5, TimeUnit.SECONDS)).as("the gate task started on the only worker").isTrue();
        }

        void open() {
            gate.countDown();
        }
    }

    static <T> Future<T> submit(PriorityExecutor executor, int priority, List<String> order, String name) {
        return executor.submit(priority, () -> {
            order.add(name);
            return null;
        });
    }

    @Test
    void runsHigherPrioritiesFirst() throws Exception {
        FakeClock clock = new FakeClock();
        List<String> order = Collections.synchronizedList(new ArrayList<>());
        try (PriorityExecutor executor = new PriorityExecutor(1, STEP, clock, new RecordingFactory())) {
            Gate gate = new Gate(executor);
            int[] priorities = {3, 9, 0, 5, 9, 3, 0, 7};
            for (int i = 0; i < priorities.length; i++) {
                submit(executor, priorities[i], order, "p" + priorities[i] + "#" + i);
            }
            assertThat(executor.queued()).as("tasks waiting behind the gate").isEqualTo(priorities.length);
            gate.open();
        }
        assertThat(order).as("order of runs on one worker, all submitted at the same instant: highest priority "
                + "first, submission order within a priority")
                .containsExactly("p9#1", "p9#4", "p7#7", "p5#3", "p3#0", "p3#5", "p0#2", "p0#6");
    }

    @Test
    void tasksOfOnePriorityRunInSubmissionOrder() throws Exception {
        FakeClock clock = new FakeClock();
        List<String> order = Collections.synchronizedList(new ArrayList<>());
        List<String> expected = new ArrayList<>();
        try (PriorityExecutor executor = new PriorityExecutor(1, STEP, clock, new RecordingFactory())) {
            Gate gate = new Gate(executor);
            for (int i = 0; i < 200; i++) {
                submit(executor, 4, order, "task " + i);
                expected.add("task " + i);
                if (i % 7 == 0) {
                    clock.advance(Duration.ofMillis(30)); // ageing must not reorder tasks of one priority
                }
            }
            gate.open();
        }
        assertThat(order).as("order of 200 tasks of priority 4 on one worker (FIFO within a priority)")
                .containsExactlyElementsOf(expected);
    }

    @Test
    void aLowTaskOvertakesHighTasksSubmittedMoreThanTheAgeingGapLater() throws Exception {
        FakeClock clock = new FakeClock();
        List<String> order = Collections.synchronizedList(new ArrayList<>());
        try (PriorityExecutor executor = new PriorityExecutor(1, STEP, clock, new RecordingFactory())) {
            Gate gate = new Gate(executor);
            submit(executor, 0, order, "low");
            for (int i = 0; i < 10; i++) {
                submit(executor, 5, order, "high " + i + " (at " + i * 100 + " ms)");
                clock.advance(STEP);
            }
            gate.open();
        }
        assertThat(order).as("runs after a priority-0 task submitted at 0 ms and priority-5 tasks every 100 ms "
                + "(agingStep 100 ms): the low task overtakes every high task submitted 500 ms or more after it")
                .containsExactly("high 0 (at 0 ms)", "high 1 (at 100 ms)", "high 2 (at 200 ms)", "high 3 (at 300 ms)",
                        "high 4 (at 400 ms)", "low", "high 5 (at 500 ms)", "high 6 (at 600 ms)", "high 7 (at 700 ms)",
                        "high 8 (at 800 ms)", "high 9 (at 900 ms)");
    }

    @Test
    void ageingBoundsHowLongALowTaskWaitsUnderAStreamOfHighOnes() throws Exception {
        FakeClock clock = new FakeClock();
        Duration taskTime = Duration.ofMillis(50);
        int streamLength = 40;
        List<String> order = new CopyOnWriteArrayList<>();
        AtomicLong lowWaited = new AtomicLong(-1);
        AtomicInteger highSubmitted = new AtomicInteger();
        try (PriorityExecutor executor = new PriorityExecutor(1, STEP, clock, new RecordingFactory())) {
            Gate gate = new Gate(executor);
            long lowSubmitted = clock.nanoTime();
            executor.submit(0, () -> {
                order.add("low");
                lowWaited.set(clock.nanoTime() - lowSubmitted);
                return null;
            });
            // each high task "runs" for 50 ms of fake time and submits the next one: a never-ending stream of
            // urgent work (cut off after 40 so that a starving executor still finishes)
            class High implements java.util.concurrent.Callable<Void> {
                @Override
                public Void call() {
                    order.add("high");
                    clock.advance(taskTime);
                    if (highSubmitted.incrementAndGet() < streamLength) {
                        executor.submit(5, new High());
                    }
                    return null;
                }
            }
            executor.submit(5, new High());
            gate.open();
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10))
                    .until(() -> order.size() == streamLength + 1);
        }
        assertThat(order.indexOf("low"))
                .as("how many priority-5 tasks ran before the priority-0 one, under a stream of one new priority-5 task "
                        + "per 50 ms with agingStep 100 ms (%d means it starved: age the waiting tasks)", streamLength)
                .isEqualTo(10);
        assertThat(Duration.ofNanos(lowWaited.get()))
                .as("fake time the priority-0 task waited: at most (5 - 0) * agingStep")
                .isLessThanOrEqualTo(STEP.multipliedBy(5));
    }

    @Test
    void futuresCarryResultsAndFailuresAndAFailureSparesTheWorker() throws Exception {
        RecordingFactory factory = new RecordingFactory();
        try (PriorityExecutor executor = new PriorityExecutor(1, STEP, new FakeClock(), factory)) {
            Future<Integer> answer = executor.submit(3, () -> 6 * 7);
            IllegalStateException boom = new IllegalStateException("a task that fails (expected by the test)");
            Future<Integer> failed = executor.submit(3, () -> {
                throw boom;
            });
            Future<String> after = executor.submit(3, () -> "still working");
            Future<Void> rude = executor.submit(3, () -> {
                Thread.currentThread().interrupt(); // a task that leaves its thread interrupted
                return null;
            });
            Future<Boolean> next = executor.submit(3, () -> Thread.currentThread().isInterrupted());
            assertThat(answer.get(5, TimeUnit.SECONDS)).as("result of a task").isEqualTo(42);
            assertThatThrownBy(() -> failed.get(5, TimeUnit.SECONDS)).as("get() on a failed task")
                    .isInstanceOf(ExecutionException.class).cause().isSameAs(boom);
            assertThat(after.get(5, TimeUnit.SECONDS)).as("result of a task after a failure, on the same worker")
                    .isEqualTo("still working");
            rude.get(5, TimeUnit.SECONDS);
            assertThat(next.get(5, TimeUnit.SECONDS)).as("whether a task started interrupted because the task "
                    + "before it on the same worker left the interrupt status set (clear it between tasks)").isFalse();
        }
        assertThat(factory.made).as("threads made for one worker").hasSize(1);
    }

    @Test
    void allWorkersTakeTasksAtOnce() throws Exception {
        RecordingFactory factory = new RecordingFactory();
        CyclicBarrier meet = new CyclicBarrier(3);
        try (PriorityExecutor executor = new PriorityExecutor(3, STEP, new FakeClock(), factory)) {
            List<Future<Integer>> futures = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                futures.add(executor.submit(i, () -> meet.await(5, TimeUnit.SECONDS)));
            }
            for (Future<Integer> future : futures) {
                assertThat(future).as("3 tasks that wait for each other on 3 workers (all workers must take tasks)")
                        .succeedsWithin(Duration.ofSeconds(10));
            }
        }
        assertThat(factory.made).as("threads made by the factory for 3 workers").hasSize(3);
    }

    @Test
    void closeRunsEveryQueuedTaskAndLeavesNoThread() throws Exception {
        RecordingFactory factory = new RecordingFactory();
        List<String> order = Collections.synchronizedList(new ArrayList<>());
        PriorityExecutor executor = new PriorityExecutor(2, STEP, new FakeClock(), factory);
        try (executor) {
            for (int i = 0; i < 100; i++) {
                submit(executor, i % 10, order, "task " + i);
            }
        }
        assertThat(order).as("tasks run by the time close() returned (it runs every queued task)").hasSize(100);
        assertThat(factory.made).as("worker threads alive when close() returned").hasSize(2)
                .noneMatch(Threads::stillAlive);
        assertThatThrownBy(() -> executor.submit(5, () -> null)).as("submit after close()")
                .isInstanceOf(RejectedExecutionException.class);
    }

    @Test
    void shutdownNowCancelsTheQueueInterruptsRunningTasksAndLeavesNoThread() throws Exception {
        RecordingFactory factory = new RecordingFactory();
        CountDownLatch bothRunning = new CountDownLatch(2);
        CountDownLatch never = new CountDownLatch(1);
        PriorityExecutor executor = new PriorityExecutor(2, STEP, new FakeClock(), factory);
        List<Future<String>> running = new ArrayList<>();
        List<Future<String>> queued = new ArrayList<>();
        int dropped;
        try {
            for (int i = 0; i < 2; i++) {
                running.add(executor.submit(9, () -> {
                    bothRunning.countDown();
                    try {
                        // bounded, so that an executor that never interrupts fails here instead of hanging
                        return never.await(3, TimeUnit.SECONDS) ? "released" : "not interrupted within 3 s";
                    } catch (InterruptedException e) {
                        return "interrupted";
                    }
                }));
            }
            assertThat(bothRunning.await(5, TimeUnit.SECONDS)).as("both workers busy").isTrue();
            for (int i = 0; i < 5; i++) {
                queued.add(executor.submit(i, () -> "ran"));
            }
        } finally {
            dropped = executor.shutdownNow();
        }
        assertThat(factory.made).as("worker threads alive when shutdownNow() returned").hasSize(2)
                .noneMatch(Threads::stillAlive);
        assertThat(dropped).as("queued tasks dropped by shutdownNow()").isEqualTo(5);
        assertThat(queued).as("futures of the dropped tasks").allMatch(Future::isCancelled);
        for (Future<String> future : running) {
            assertThat(future.get(1, TimeUnit.SECONDS)).as("what a running task saw at shutdownNow()")
                    .isEqualTo("interrupted");
        }
        assertThatThrownBy(() -> executor.submit(5, () -> null)).as("submit after shutdownNow()")
                .isInstanceOf(RejectedExecutionException.class);
    }

    @Test
    void badArgumentsAreRejectedWithAMessage() {
        assertThatThrownBy(() -> new PriorityExecutor(0, STEP, new FakeClock(), new RecordingFactory()))
                .as("0 workers").isInstanceOf(IllegalArgumentException.class).hasMessageContaining("workers");
        assertThatThrownBy(() -> new PriorityExecutor(1, Duration.ZERO, new FakeClock(), new RecordingFactory()))
                .as("an ageing step of 0").isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("agingStep");
        try (PriorityExecutor executor = new PriorityExecutor(1, STEP, new FakeClock(), new RecordingFactory())) {
            assertThatThrownBy(() -> executor.submit(10, () -> null)).as("priority 10")
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("priority");
            assertThatThrownBy(() -> executor.submit(-1, () -> null)).as("priority -1")
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("priority");
        }
    }
}
