package parlab.stage3.manyworkers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import java.util.function.LongUnaryOperator;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import parlab.testing.Threads;

class ManyWorkersTest {
    private static final Duration PATIENT = Duration.ofSeconds(10);

    /** A factory that remembers every thread it made. */
    static final class RecordingFactory implements ThreadFactory {
        final List<Thread> made = new CopyOnWriteArrayList<>();

        @Override
        public Thread newThread(Runnable task) {
            Thread thread = new Thread(task, "cpu-worker-" + made.size());
            made.add(thread);
            return thread;
        }
    }

    /** Units 0, 1, 2, ... made one by one as the producer asks; counts how many it asked for. */
    static final class Source implements Iterator<Long> {
        final long size;
        final AtomicLong pulled = new AtomicLong();
        final LongAdder started;
        final AtomicLong maxAhead = new AtomicLong();

        Source(long size, LongAdder started) {
            this.size = size;
            this.started = started;
        }

        @Override
        public boolean hasNext() {
            return pulled.get() < size;
        }

        @Override
        public Long next() {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            long unit = pulled.getAndIncrement();
            maxAhead.accumulateAndGet(unit + 1 - started.sum(), Math::max);
            return unit;
        }
    }

    /** About ten microseconds of arithmetic: CPU-bound work, the same for every unit. */
    static long burn(long unit) {
        long x = unit + 0x9E3779B97F4A7C15L;
        for (int i = 0; i < 3_000; i++) {
            x ^= x << 13;
            x ^= x >>> 7;
            x ^= x << 17;
        }
        return x & 0xFFFF;
    }

    private static long sequential(long units, LongUnaryOperator work) {
        long sum = 0;
        for (long u = 0; u < units; u++) {
            sum += work.applyAsLong(u);
        }
        return sum;
    }

    /** run() on a thread of its own, so that a run that never returns fails with a message, not a time-out. */
    private static Outcome runWithin(Duration limit, String whatShouldHappen, Iterator<Long> units, int workers,
            int capacity, ThreadFactory factory, LongUnaryOperator work) throws Exception {
        CompletableFuture<Outcome> outcome = new CompletableFuture<>();
        Thread caller = Thread.ofPlatform().name("test-producer").start(() -> {
            try {
                outcome.complete(ManyWorkers.run(units, workers, capacity, factory, work));
            } catch (Throwable t) {
                outcome.completeExceptionally(t);
            }
        });
        try {
            return outcome.get(limit.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof Exception cause) {
                throw cause;
            }
            throw (Error) e.getCause();
        } catch (TimeoutException e) {
            throw new AssertionError("run() did not return within " + limit.toSeconds() + " s: " + whatShouldHappen);
        } finally {
            caller.interrupt();
            caller.join(limit.toMillis());
        }
    }

    @ParameterizedTest(name = "{2} units on {0} workers, capacity {1}")
    @CsvSource({"16, 32, 5000", "1, 1, 200", "16, 1, 2000", "3, 4, 0", "64, 8, 5000", "2, 100, 10", "16, 4, 5"})
    void theSumIsTheSequentialSum(int workers, int capacity, long units) throws Exception {
        RecordingFactory factory = new RecordingFactory();
        Outcome outcome = ManyWorkers.run(new Source(units, new LongAdder()), workers, capacity, factory,
                ManyWorkersTest::burn);
        assertThat(outcome.sum()).as("sum over %d units with %d workers and capacity %d", units, workers, capacity)
                .isEqualTo(sequential(units, ManyWorkersTest::burn));
        assertThat(outcome.unitsPerWorker()).as("unitsPerWorker: one entry per worker").hasSize(workers);
        assertThat(outcome.units()).as("units done by all workers together").isEqualTo(units);
        assertThat(factory.made).as("threads made by the factory").hasSize(workers)
                .as("threads still alive after run() returned: join every worker").noneMatch(Threads::stillAlive);
    }

    @Test
    void everyUnitIsDoneExactlyOnce() throws Exception {
        AtomicIntegerArray visits = new AtomicIntegerArray(5_000);
        Outcome outcome = ManyWorkers.run(new Source(visits.length(), new LongAdder()), 16, 8,
                new RecordingFactory(), unit -> {
                    visits.incrementAndGet((int) unit);
                    return 1;
                });
        assertThat(outcome.sum()).as("units summed").isEqualTo(visits.length());
        for (int i = 0; i < visits.length(); i++) {
            assertThat(visits.get(i)).as("times unit %d was done", i).isEqualTo(1);
        }
    }

    @Test
    void sixteenWorkersFromTheFactoryDoTheWorkAndAllEnd() throws Exception {
        RecordingFactory factory = new RecordingFactory();
        Map<Thread, LongAdder> done = new ConcurrentHashMap<>();
        Outcome outcome = ManyWorkers.run(new Source(4_000, new LongAdder()), 16, 16, factory, unit -> {
            done.computeIfAbsent(Thread.currentThread(), t -> new LongAdder()).increment();
            return burn(unit);
        });
        assertThat(factory.made).as("threads made by the factory for 16 workers").hasSize(16);
        assertThat(done.keySet()).as("threads that ran the work: only the factory's, never the caller's")
                .isSubsetOf(factory.made);
        long[] perWorker = outcome.unitsPerWorker();
        for (int i = 0; i < 16; i++) {
            LongAdder count = done.get(factory.made.get(i));
            assertThat(perWorker[i]).as("unitsPerWorker[%d]: units done by the thread %s", i,
                    factory.made.get(i).getName()).isEqualTo(count == null ? 0 : count.sum());
        }
        assertThat(factory.made).as("threads still alive after run() returned: join every worker")
                .noneMatch(Threads::stillAlive);
    }

    @Test
    void everyWorkerMakesItsShareOfProgress() throws Exception {
        // Units of 2 ms spent mostly off the CPU: this measures how the work is handed out, not how the kernel
        // shares two busy cores among other programs (the benchmark shows that part).
        int workers = 16;
        long units = 800;
        RecordingFactory factory = new RecordingFactory();
        Outcome outcome = ManyWorkers.run(new Source(units, new LongAdder()), workers, 32, factory, unit -> {
            LockSupport.parkNanos(Duration.ofMillis(2).toNanos());
            return 1;
        });
        long mean = units / workers;
        long[] perWorker = outcome.unitsPerWorker();
        assertThat(outcome.units()).as("units done").isEqualTo(units);
        for (int i = 0; i < workers; i++) {
            assertThat(perWorker[i]).as("units done by worker %d of 16 (mean %d; all: %s): every worker must do "
                    + "between a quarter and 4 times its share. One far below is starved: is a lock held while it "
                    + "works, or do workers grab many units at once?", i, mean, Arrays.toString(perWorker))
                    .isBetween(mean / 4, mean * 4);
        }
    }

    @Test
    void theProducerIsNeverMoreThanCapacityAheadOfTheWorkers() throws Exception {
        int workers = 4;
        int capacity = 6;
        long bound = workers + capacity + 1; // queued + one in each worker's hands + the one being put
        LongAdder started = new LongAdder();
        Source source = new Source(1_000, started);
        CountDownLatch gate = new CountDownLatch(1);
        RecordingFactory factory = new RecordingFactory();
        CompletableFuture<Outcome> outcome = new CompletableFuture<>();
        Thread producer = Thread.ofPlatform().name("test-producer").start(() -> {
            try {
                outcome.complete(ManyWorkers.run(source, workers, capacity, factory, unit -> {
                    started.increment();
                    try {
                        gate.await(); // every worker is stuck on its first unit until the test opens the gate
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    return unit;
                }));
            } catch (Throwable t) {
                outcome.completeExceptionally(t);
            }
        });
        try {
            long[] lastPulled = {-1};
            try {
                await().atMost(PATIENT).pollInterval(Duration.ofMillis(50)).until(() -> {
                    long now = source.pulled.get();
                    boolean stable = now == lastPulled[0];
                    lastPulled[0] = now;
                    Thread.State state = producer.getState();
                    return outcome.isDone() || (started.sum() == workers && stable
                            && (state == Thread.State.WAITING || state == Thread.State.TERMINATED));
                });
            } catch (ConditionTimeoutException e) {
                throw new AssertionError("after " + PATIENT.toSeconds() + " s, " + started.sum() + " of " + workers
                        + " workers had begun a unit (each unit blocks until the test lets it go), and the producer "
                        + "had pulled " + source.pulled.get() + " units and was " + producer.getState() + ". All "
                        + workers + " should be busy at once: does a worker hold a lock while it computes?");
            }
            if (outcome.isCompletedExceptionally()
                    && catchThrowable(outcome::join).getCause() instanceof UnsupportedOperationException todo) {
                throw todo;
            }
            assertThat(source.pulled.get()).as("units pulled from the source while all %d workers were busy with "
                    + "their first unit (capacity %d): the producer must block when the queue is full", workers,
                    capacity).isLessThanOrEqualTo(bound);
        } finally {
            gate.countDown();
            producer.join(PATIENT.toMillis());
        }
        assertThat(outcome.get().sum()).as("sum of the units").isEqualTo(1_000L * 999 / 2);
        assertThat(source.maxAhead.get()).as("most units pulled but not yet begun by a worker, at any time "
                + "(capacity %d, %d workers)", capacity, workers).isLessThanOrEqualTo(bound);
    }

    @Test
    void aFailingUnitReachesTheCallerAndStopsTheRun() throws Exception {
        IllegalStateException boom = new IllegalStateException("boom at unit 2000");
        RecordingFactory factory = new RecordingFactory();
        Source source = new Source(1_000_000, new LongAdder());
        Throwable thrown = catchThrowable(() -> runWithin(PATIENT, "unit 2000 failed, so the run must stop without "
                + "pulling the rest of the 1,000,000 units from the source", source, 16, 8, factory,
                unit -> {
                    if (unit == 2_000) {
                        throw boom;
                    }
                    return burn(unit);
                }));
        if (thrown instanceof UnsupportedOperationException todo) {
            throw todo;
        }
        assertThat(thrown).as("the exception thrown by the work of unit 2000, rethrown to the caller").isSameAs(boom);
        assertThat(factory.made).as("threads made").hasSize(16)
                .as("threads alive after the failure: every worker must have ended").noneMatch(Threads::stillAlive);
        assertThat(source.pulled.get()).as("units pulled from a source of 1,000,000 after unit 2000 failed: stop "
                + "pulling once a unit has failed").isLessThan(10_000);
    }

    @Test
    void whenEveryWorkerFailsTheProducerIsNotLeftBlocked() throws Exception {
        RecordingFactory factory = new RecordingFactory();
        Throwable thrown = catchThrowable(() -> runWithin(PATIENT, "every unit fails, so every worker has failed"
                + " while the queue is full: is the producer stuck in put() on a queue nobody takes from?",
                new Source(100_000, new LongAdder()), 16, 2, factory, unit -> {
                    throw new IllegalStateException("unit " + unit + " fails");
                }));
        if (thrown instanceof UnsupportedOperationException todo) {
            throw todo;
        }
        assertThat(thrown).as("what run() throws when every unit fails").isInstanceOf(IllegalStateException.class)
                .hasMessageEndingWith("fails");
        assertThat(factory.made).as("threads alive after every worker failed").noneMatch(Threads::stillAlive);
    }

    @Test
    void anInterruptedCallerStopsEveryWorker() throws Exception {
        LongAdder started = new LongAdder();
        RecordingFactory factory = new RecordingFactory();
        Source endless = new Source(Long.MAX_VALUE, started);
        CompletableFuture<Outcome> outcome = new CompletableFuture<>();
        Thread caller = Thread.ofPlatform().name("test-producer").start(() -> {
            try {
                outcome.complete(ManyWorkers.run(endless, 16, 8, factory, unit -> {
                    started.increment();
                    return burn(unit);
                }));
            } catch (Throwable t) {
                outcome.completeExceptionally(t);
            }
        });
        try {
            await("the workers have begun 200 units").atMost(PATIENT)
                    .until(() -> started.sum() >= 200 || outcome.isDone());
            if (outcome.isCompletedExceptionally()
                    && catchThrowable(outcome::join).getCause() instanceof UnsupportedOperationException todo) {
                throw todo;
            }
            caller.interrupt();
            caller.join(Duration.ofSeconds(5).toMillis());
            assertThat(caller.isAlive()).as("run() still running 5 s after its caller was interrupted: stop the "
                    + "workers (they may be waiting for a unit that never comes) and let InterruptedException out")
                    .isFalse();
        } finally {
            caller.interrupt();
        }
        assertThat(catchThrowable(outcome::join)).as("how run() ended when its caller was interrupted")
                .hasCauseInstanceOf(InterruptedException.class);
        assertThat(factory.made).as("threads made").hasSize(16)
                .as("threads alive after an interrupted run: stop and join every worker")
                .noneMatch(Threads::stillAlive);
    }

    @Test
    void badArgumentsAreRejectedWithAMessage() {
        assertThatThrownBy(() -> ManyWorkers.run(new Source(10, new LongAdder()), 0, 4, new RecordingFactory(),
                ManyWorkersTest::burn)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("workers");
        assertThatThrownBy(() -> ManyWorkers.run(new Source(10, new LongAdder()), 4, 0, new RecordingFactory(),
                ManyWorkersTest::burn)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("capacity");
    }
}
