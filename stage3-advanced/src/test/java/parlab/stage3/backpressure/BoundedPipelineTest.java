package parlab.stage3.backpressure;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import java.util.function.IntUnaryOperator;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import parlab.testing.ThreadDumps;
import parlab.testing.Threads;

class BoundedPipelineTest {
    private static final Duration PATIENCE = Duration.ofSeconds(5);

    /** One item: its position in the source and its weight in bytes. */
    record Item(int seq, int weight) {
    }

    /** A factory that remembers every thread it made. */
    static final class RecordingFactory implements ThreadFactory {
        final List<Thread> made = new CopyOnWriteArrayList<>();

        @Override
        public Thread newThread(Runnable task) {
            Thread thread = new Thread(task, "bp-worker-" + made.size());
            made.add(thread);
            return thread;
        }
    }

    /**
     * The test's own books: a source that counts what the producer took, and a sink that counts what it finished.
     * Each time the producer asks for another item, the source measures what is in flight (taken, not yet through
     * the sink) and records any excess over the limits. The sink can be held shut by a gate (a semaphore with no
     * permits), so that the test decides when the consumers move.
     */
    static final class Books implements Iterator<Item> {
        final int total;
        final IntUnaryOperator weightOf;
        final Limits limits;
        final Semaphore gate;
        final int failAt;
        final RuntimeException failure = new IllegalStateException("the sink failed on purpose");
        final AtomicLong taken = new AtomicLong();
        final AtomicLong takenBytes = new AtomicLong();
        final AtomicLong finished = new AtomicLong();
        final AtomicLong finishedBytes = new AtomicLong();
        final AtomicLong maxInFlight = new AtomicLong();
        final AtomicLong maxInFlightBytes = new AtomicLong();
        final List<String> excesses = new CopyOnWriteArrayList<>();
        /** The worker whose sink call threw, and how many items the producer had taken by then. */
        volatile Thread failing;
        volatile long failedAtNanos;
        final AtomicLong takenAtFailure = new AtomicLong(-1);
        final Map<Integer, AtomicInteger> received = new ConcurrentHashMap<>();
        volatile Thread producer;

        Books(int total, IntUnaryOperator weightOf, Limits limits, Semaphore gate, int failAt) {
            this.total = total;
            this.weightOf = weightOf;
            this.limits = limits;
            this.gate = gate;
            this.failAt = failAt;
        }

        Books(int total, IntUnaryOperator weightOf, Limits limits) {
            this(total, weightOf, limits, null, -1);
        }

        @Override
        public boolean hasNext() {
            return taken.get() < total;
        }

        @Override
        public Item next() {
            producer = Thread.currentThread();
            long seq = taken.get();
            if (seq >= total) {
                throw new NoSuchElementException("the source has only " + total + " items");
            }
            // in flight right now: taken earlier and not through the sink yet (finished is read after taken)
            long inFlight = seq - finished.get();
            long inFlightBytes = takenBytes.get() - finishedBytes.get();
            maxInFlight.accumulateAndGet(inFlight, Math::max);
            maxInFlightBytes.accumulateAndGet(inFlightBytes, Math::max);
            if ((inFlight > limits.maxItems() || inFlightBytes > limits.maxBytes()) && excesses.size() < 5) {
                excesses.add("when the producer asked for item " + seq + ", " + inFlight + " items (" + inFlightBytes
                        + " bytes) were in flight, over the limits of " + limits.maxItems() + " items and "
                        + limits.maxBytes() + " bytes");
            }
            Item item = new Item((int) seq, weightOf.applyAsInt((int) seq));
            takenBytes.addAndGet(item.weight());
            taken.incrementAndGet();
            return item;
        }

        long weigh(Item item) {
            return item.weight();
        }

        void sink(Item item) {
            try {
                if (total <= 100_000) { // a million map entries would cost more than the pipeline itself
                    received.computeIfAbsent(item.seq(), s -> new AtomicInteger()).incrementAndGet();
                }
                if (gate != null) {
                    gate.acquireUninterruptibly();
                }
                if (item.seq() == failAt) {
                    takenAtFailure.set(taken.get());
                    failedAtNanos = System.nanoTime();
                    failing = Thread.currentThread();
                    throw failure;
                }
                if (failAt >= 0 && item.seq() > failAt) {
                    awaitFailureHandled();
                }
            } finally {
                finishedBytes.addAndGet(item.weight());
                finished.incrementAndGet();
            }
        }

        /**
         * Holds a later sink call until the worker whose call threw has dealt with the failure, that is until it
         * waits (for its next item, say) or has ended. Without this a worker descheduled right after the throw would
         * let the others and the producer run on for as long as the scheduler pleases, and "the producer stops
         * soon after a failure" could not be measured. In a pipeline that never stops calling the sink the thrower
         * never waits, hence one deadline for all such calls, counted from the throw.
         */
        private void awaitFailureHandled() {
            Thread thrower = failing;
            long deadline = failedAtNanos + PATIENCE.toNanos();
            while (thrower != null && thrower != Thread.currentThread() && System.nanoTime() < deadline) {
                Thread.State state = thrower.getState();
                if (state == Thread.State.WAITING || state == Thread.State.TIMED_WAITING
                        || state == Thread.State.TERMINATED) {
                    return;
                }
                Thread.yield();
            }
        }

        long inFlightBytesNow() {
            return takenBytes.get() - finishedBytes.get();
        }

        void assertNeverOverTheLimits() {
            assertThat(excesses).as("backpressure: the producer must wait for room before it takes another item "
                    + "(a bounded queue alone does not count the items in the workers' hands)").isEmpty();
        }

        void assertEachItemReceivedOnce(int expected) {
            assertThat(received).as("items that reached the sink").hasSize(expected);
            assertThat(received.entrySet().stream().filter(e -> e.getValue().get() != 1)
                    .map(e -> "item " + e.getKey() + " reached the sink " + e.getValue().get() + " times").toList())
                    .as("items given to the sink more than once").isEmpty();
        }
    }

    /** {@link BoundedPipeline#run} on a thread of its own, so that the test can watch it. */
    static final class Running {
        final FutureTask<Long> call;
        final Thread caller;
        final RecordingFactory factory;

        Running(Books books, Limits limits, RecordingFactory factory) {
            this.factory = factory;
            this.call = new FutureTask<>(() -> BoundedPipeline.run(books, books::weigh, books::sink, limits, factory));
            this.caller = Thread.ofPlatform().name("bp-producer").start(call);
        }

        /** Waits until {@code condition} holds; fails at once with run's own exception if run has ended. */
        void awaitUntil(BooleanSupplier condition, String what) throws Throwable {
            long deadline = System.nanoTime() + PATIENCE.toNanos();
            while (!condition.getAsBoolean()) {
                if (call.isDone()) {
                    result(); // throws run's failure, if any
                    throw new AssertionError("run returned before " + what);
                }
                if (System.nanoTime() > deadline) {
                    throw new AssertionError(what + " did not happen within " + PATIENCE.toSeconds() + " s\n"
                            + stacks());
                }
                Thread.sleep(1); // polling the test's own counters
            }
        }

        long result() throws Throwable {
            try {
                long items = call.get(PATIENCE.toMillis(), TimeUnit.MILLISECONDS);
                caller.join();
                return items;
            } catch (ExecutionException e) {
                caller.join();
                throw e.getCause();
            } catch (TimeoutException e) {
                String stacks = stacks();
                caller.interrupt();
                factory.made.forEach(Thread::interrupt);
                caller.join(PATIENCE.toMillis());
                throw new AssertionError("run(...) had not returned " + PATIENCE.toSeconds() + " s after the "
                        + "source was exhausted or the pipeline failed. Is the producer asleep waiting for budget "
                        + "that a failed item never gave back? Were the workers told to stop?\n" + stacks);
            }
        }

        /** What run threw; an assertion failure of its own (a hang) or a TODO passes through. */
        Throwable thrown() throws Throwable {
            long items;
            try {
                items = result();
            } catch (AssertionError | UnsupportedOperationException notAnAnswer) {
                throw notAnAnswer;
            } catch (Throwable thrown) {
                return thrown;
            }
            throw new AssertionError("run returned normally (" + items + " items) instead of throwing");
        }

        String stacks() {
            return ThreadDumps.stack(caller) + factory.made.stream().filter(Thread::isAlive).map(ThreadDumps::stack)
                    .collect(Collectors.joining());
        }

        void assertAllThreadsEnded(int workers) {
            assertThat(factory.made).as("worker threads made by the factory").hasSize(workers)
                    .as("worker threads alive after run returned: join every thread you start")
                    .noneMatch(Threads::stillAlive);
        }
    }

    @Test
    void theProducerStopsAtMostKAheadOfAStalledConsumer() throws Throwable {
        Limits limits = new Limits(4, Long.MAX_VALUE, 1);
        Semaphore gate = new Semaphore(0);
        Books books = new Books(40, i -> 1, limits, gate, -1);
        Running run = new Running(books, limits, new RecordingFactory());
        run.awaitUntil(() -> books.taken.get() >= 4 && books.producer != null
                        && books.producer.getState() == Thread.State.WAITING,
                "the producer running 4 items ahead of a stalled sink, then waiting");
        books.assertNeverOverTheLimits();
        assertThat(books.taken.get()).as("items taken while the sink could not finish any (budget: 4 in flight)")
                .isBetween(4L, 5L);
        for (int step = 1; step <= 3; step++) { // one item through the sink makes room for exactly one more
            long before = books.taken.get();
            long target = before + 1;
            gate.release();
            run.awaitUntil(() -> books.taken.get() >= target, "the producer taking one more item once one finished");
            books.assertNeverOverTheLimits();
        }
        gate.release(1_000);
        assertThat(run.result()).as("items through the pipeline").isEqualTo(40);
        books.assertNeverOverTheLimits();
        books.assertEachItemReceivedOnce(40);
        assertThat(books.maxInFlight.get()).as("most items in flight seen by the producer: did it use its budget?")
                .isGreaterThanOrEqualTo(3);
        run.assertAllThreadsEnded(1);
    }

    @Test
    void bytesInFlightNeverExceedTheByteBudget() throws Throwable {
        Limits limits = new Limits(1_000, 300, 2);
        Semaphore gate = new Semaphore(0);
        Books books = new Books(300, i -> 1 + (i * 37) % 100, limits, gate, -1);
        Running run = new Running(books, limits, new RecordingFactory());
        run.awaitUntil(() -> books.inFlightBytesNow() > 300 - 100 && books.producer != null
                        && books.producer.getState() == Thread.State.WAITING,
                "the producer filling the 300-byte budget while the sink is stalled, then waiting");
        books.assertNeverOverTheLimits();
        assertThat(books.taken.get()).as("items taken while the sink was stalled: the byte budget is 300, an item "
                + "weighs 1 to 100, so about 300 / 50 of them fit, far fewer than the item budget of 1,000")
                .isLessThan(30);
        gate.release(10_000);
        assertThat(run.result()).as("items through the pipeline").isEqualTo(300);
        books.assertNeverOverTheLimits();
        books.assertEachItemReceivedOnce(300);
        run.assertAllThreadsEnded(2);
    }

    @Test
    void inFlightStaysBoundedOverAMillionItems() throws Throwable {
        Limits limits = new Limits(256, 8_192, 2);
        Books books = new Books(1_000_000, i -> 1 + i % 64, limits);
        Running run = new Running(books, limits, new RecordingFactory());
        assertThat(run.result()).as("items through the pipeline").isEqualTo(1_000_000);
        books.assertNeverOverTheLimits();
        assertThat(books.finished.get()).as("items finished by the sink").isEqualTo(1_000_000);
        assertThat(books.maxInFlight.get()).as("most items in flight seen by the producer").isLessThanOrEqualTo(256);
        assertThat(books.maxInFlightBytes.get()).as("most bytes in flight seen by the producer")
                .isLessThanOrEqualTo(8_192);
        run.assertAllThreadsEnded(2);
    }

    @Test
    void aFailingSinkStopsTheProducerAndReachesTheCaller() throws Throwable {
        Limits limits = new Limits(4, Long.MAX_VALUE, 2);
        Books books = new Books(100_000, i -> 1, limits, null, 100);
        Running run = new Running(books, limits, new RecordingFactory());
        assertThat(run.thrown()).as("the sink's exception, rethrown by run").isSameAs(books.failure);
        assertThat(books.takenAtFailure.get()).as("items taken when the sink failed at item 100").isPositive();
        assertThat(books.taken.get() - books.takenAtFailure.get())
                .as("items taken after the sink failed (budget: 4 in flight, 2 workers)")
                .isLessThanOrEqualTo(2 * 4 + 1);
        books.assertNeverOverTheLimits();
        run.assertAllThreadsEnded(2);
    }

    @Test
    void anItemHeavierThanTheByteBudgetIsRejected() throws Throwable {
        Limits limits = new Limits(10, 64, 1);
        Books books = new Books(20, i -> i == 5 ? 1_000 : 10, limits);
        Running run = new Running(books, limits, new RecordingFactory());
        assertThat(run.thrown()).as("an item of 1,000 bytes with a budget of 64 bytes: it can never fit")
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("1000").hasMessageContaining("64");
        run.assertAllThreadsEnded(1);
    }

    @Test
    void interruptingTheProducerStopsEverything() throws Throwable {
        Limits limits = new Limits(2, Long.MAX_VALUE, 1);
        Semaphore gate = new Semaphore(0);
        Books books = new Books(100, i -> 1, limits, gate, -1);
        RecordingFactory factory = new RecordingFactory();
        Running run = new Running(books, limits, factory);
        run.awaitUntil(() -> books.taken.get() >= 2 && books.producer != null
                && books.producer.getState() == Thread.State.WAITING, "the producer waiting for room");
        run.caller.interrupt();
        gate.release(1_000); // the test's sink ignores interrupts; the pipeline must still end
        assertThat(run.thrown()).as("run interrupted while waiting for room")
                .isInstanceOf(InterruptedException.class);
        assertThat(books.taken.get()).as("items taken although run was interrupted after about 3")
                .isLessThan(100);
        run.assertAllThreadsEnded(1);
    }
}
