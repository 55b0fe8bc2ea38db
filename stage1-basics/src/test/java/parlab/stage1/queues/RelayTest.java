package parlab.stage1.queues;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.concurrent.Callable;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import parlab.testing.ThreadDumps;
import parlab.testing.Threads;

class RelayTest {
    private static final Duration PATIENCE = Duration.ofSeconds(5);

    /** A factory that remembers every thread it made. */
    static final class RecordingFactory implements ThreadFactory {
        final List<Thread> made = new CopyOnWriteArrayList<>();

        @Override
        public Thread newThread(Runnable task) {
            Thread thread = new Thread(task, "relay-" + made.size());
            made.add(thread);
            return thread;
        }
    }

    /**
     * The integers 0, 1, 2, ... up to {@code size} (or forever), remembering who reads them and how many were read.
     * It throws {@code failure} instead of returning item {@code failAt}.
     */
    static final class CountingSource implements Iterator<Integer> {
        final long size;
        final int failAt;
        final RuntimeException failure;
        final AtomicInteger pulled = new AtomicInteger();
        final List<Thread> readers = new CopyOnWriteArrayList<>();
        final AtomicInteger delivered; // the sink's count, to measure how far the producer runs ahead
        final AtomicInteger maxAhead = new AtomicInteger();

        CountingSource(long size, AtomicInteger delivered) {
            this(size, -1, null, delivered);
        }

        CountingSource(long size, int failAt, RuntimeException failure, AtomicInteger delivered) {
            this.size = size;
            this.failAt = failAt;
            this.failure = failure;
            this.delivered = delivered;
        }

        @Override
        public boolean hasNext() {
            note();
            return pulled.get() < size;
        }

        @Override
        public Integer next() {
            note();
            int item = pulled.get();
            if (item >= size) {
                throw new NoSuchElementException();
            }
            if (item == failAt) {
                throw failure;
            }
            // items read but not yet handed to the sink: those in the queue, plus at most one the consumer holds
            maxAhead.accumulateAndGet(item - delivered.get(), Math::max);
            return pulled.getAndIncrement();
        }

        private void note() {
            Thread me = Thread.currentThread();
            if (!readers.contains(me)) {
                readers.add(me);
            }
        }
    }

    /** A sink that records what it got and on which threads, counting before it hands the item to {@code then}. */
    static final class RecordingSink<T> implements Consumer<T> {
        final List<T> got = Collections.synchronizedList(new ArrayList<>());
        final List<Thread> writers = new CopyOnWriteArrayList<>();
        final AtomicInteger count = new AtomicInteger();
        final Consumer<T> then;

        RecordingSink(Consumer<T> then) {
            this.then = then;
        }

        RecordingSink() {
            this(item -> { });
        }

        @Override
        public void accept(T item) {
            Thread me = Thread.currentThread();
            if (!writers.contains(me)) {
                writers.add(me);
            }
            count.incrementAndGet();
            then.accept(item);
            got.add(item);
        }
    }

    /**
     * Calls relay on a thread of its own and fails with a description of the stuck threads if it has not returned
     * within {@link #PATIENCE}; the stuck threads are then interrupted, so that they do not linger.
     */
    private static long relayWithin(RecordingFactory factory, String whyItMayHang, Callable<Long> relay)
            throws Throwable {
        FutureTask<Long> call = new FutureTask<>(relay);
        Thread caller = Thread.ofPlatform().name("relay-caller").start(call);
        try {
            long result = call.get(PATIENCE.toMillis(), TimeUnit.MILLISECONDS);
            caller.join();
            return result;
        } catch (ExecutionException e) {
            caller.join();
            throw e.getCause();
        } catch (TimeoutException e) {
            String stacks = factory.made.stream().map(ThreadDumps::stack).collect(Collectors.joining());
            caller.interrupt();
            factory.made.forEach(Thread::interrupt);
            throw new AssertionError("relay(...) had not returned " + PATIENCE.toSeconds() + " s after "
                    + whyItMayHang + "\nWhere the relay's threads stood:\n" + stacks);
        }
    }

    @ParameterizedTest(name = "capacity {0}")
    @ValueSource(ints = {1, 2, 16, 20_000})
    void everyItemArrivesOnceAndInOrder(int capacity) throws Exception {
        RecordingSink<Integer> sink = new RecordingSink<>();
        CountingSource source = new CountingSource(10_000, sink.count);
        long delivered = Relay.relay(source, sink, capacity, new RecordingFactory());
        assertThat(sink.got).as("items received by the sink, in order (capacity %d)", capacity)
                .isEqualTo(IntStream.range(0, 10_000).boxed().toList());
        assertThat(delivered).as("the count relay returns").isEqualTo(10_000);
    }

    @Test
    void itemsThatLookLikeAnEndMarkerAreDeliveredToo() throws Throwable {
        List<Object> items = List.of("first", "", "EOF", "END", "POISON", "STOP", "<EOF>", "null", -1, 0,
                Integer.MIN_VALUE, Long.MAX_VALUE, Boolean.FALSE, new Object(), List.of(), "last");
        RecordingFactory factory = new RecordingFactory();
        RecordingSink<Object> sink = new RecordingSink<>();
        long delivered = relayWithin(factory, "starting on items that look like end markers",
                () -> Relay.relay(items.iterator(), sink, 32, factory));
        assertThat(sink.got).as("items received: the pill must be a marker no item can equal, not a special value")
                .containsExactlyElementsOf(items);
        assertThat(delivered).as("the count relay returns").isEqualTo(items.size());
    }

    @Test
    void anEmptySourceEndsAtOnce() throws Throwable {
        RecordingFactory factory = new RecordingFactory();
        RecordingSink<Object> sink = new RecordingSink<>();
        long delivered = relayWithin(factory, "reading an empty source: does the consumer get its pill?",
                () -> Relay.relay(Collections.emptyIterator(), sink, 4, factory));
        assertThat(delivered).as("items delivered from an empty source").isZero();
        assertThat(sink.got).as("what the sink received").isEmpty();
        assertThat(factory.made).as("threads alive after relay returned").hasSize(2).noneMatch(Threads::stillAlive);
    }

    @Test
    void oneProducerAndOneConsumerThreadComeFromTheFactory() throws Exception {
        RecordingFactory factory = new RecordingFactory();
        RecordingSink<Integer> sink = new RecordingSink<>();
        CountingSource source = new CountingSource(1_000, sink.count);
        Relay.relay(source, sink, 8, factory);

        assertThat(factory.made).as("threads made by the factory: one producer, one consumer").hasSize(2);
        assertThat(source.readers).as("threads that called the source (the producer alone)").hasSize(1)
                .allMatch(factory.made::contains);
        assertThat(sink.writers).as("threads that called the sink (the consumer alone)").hasSize(1)
                .allMatch(factory.made::contains)
                .doesNotContainAnyElementsOf(source.readers);
        assertThat(factory.made).as("threads still alive after relay returned: join both")
                .noneMatch(Threads::stillAlive);
    }

    @ParameterizedTest(name = "capacity {0}")
    @ValueSource(ints = {1, 3, 8})
    void theQueueNeverHoldsMoreThanItsCapacity(int capacity) throws Throwable {
        RecordingFactory factory = new RecordingFactory();
        CountDownLatch release = new CountDownLatch(1);
        RecordingSink<Integer> sink = new RecordingSink<>(item -> {
            if (item == 0) {
                awaitUninterruptibly(release); // the consumer is stuck on the first item until the test lets go
            }
        });
        CountingSource source = new CountingSource(200, sink.count);
        FutureTask<Long> call = new FutureTask<>(() -> Relay.relay(source, sink, capacity, factory));
        Thread caller = Thread.ofPlatform().name("relay-caller").start(call);
        try {
            await("the producer to block on the full queue (or to finish)").atMost(PATIENCE).until(() -> {
                if (call.isDone()) {
                    return true;
                }
                Thread producer = source.readers.isEmpty() ? null : source.readers.getFirst();
                return producer != null && sink.count.get() == 1 && source.pulled.get() >= capacity + 1
                        && switch (producer.getState()) {
                            case WAITING, TIMED_WAITING, TERMINATED -> true;
                            default -> false;
                        };
            });
            if (call.isDone() && sink.count.get() == 0) {
                resultOf(call); // relay ended before the consumer even started: show why
            }
            assertThat(source.pulled.get())
                    .as("items read while the consumer was stuck on the first one: 1 in the consumer, at most %d "
                            + "(the capacity) in the queue, 1 in the producer's hand waiting for room", capacity)
                    .isBetween(capacity + 1, capacity + 2);
        } finally {
            release.countDown();
        }
        assertThat(resultOf(call)).as("the count relay returns").isEqualTo(200);
        caller.join();
        assertThat(sink.got).as("items received once the consumer was let go")
                .isEqualTo(IntStream.range(0, 200).boxed().toList());
        assertThat(source.maxAhead.get())
                .as("most items ever read but not yet handed to the sink (queue + the one the consumer holds)")
                .isLessThanOrEqualTo(capacity + 1);
    }

    @Test
    void aFailingConsumerStopsTheProducer() throws Throwable {
        RecordingFactory factory = new RecordingFactory();
        IllegalStateException boom = new IllegalStateException("sink failed on item 5");
        RecordingSink<Integer> sink = new RecordingSink<>(item -> {
            if (item == 5) {
                throw boom;
            }
        });
        CountingSource endless = new CountingSource(Long.MAX_VALUE, sink.count);
        int capacity = 4;
        assertThatThrownBy(() -> relayWithin(factory,
                "the sink threw: the producer must stop (is it blocked in put() on a full queue that nobody "
                        + "takes from, or still reading?)",
                () -> Relay.relay(endless, sink, capacity, factory)))
                .as("the sink's exception, rethrown to the caller")
                .isSameAs(boom);
        assertThat(endless.pulled.get())
                .as("items the producer read from an endless source: it must stop when the consumer is gone, not "
                        + "keep reading (6 taken by the consumer + %d in the queue + 1 in hand)", capacity)
                .isLessThanOrEqualTo(6 + capacity + 1);
        assertThat(factory.made).as("threads alive after the failure").hasSize(2).noneMatch(Threads::stillAlive);
    }

    @Test
    void aFailingSourceStillEndsTheConsumer() throws Throwable {
        RecordingFactory factory = new RecordingFactory();
        IllegalStateException boom = new IllegalStateException("source failed at item 5");
        RecordingSink<Integer> sink = new RecordingSink<>();
        CountingSource source = new CountingSource(100, 5, boom, sink.count);
        assertThatThrownBy(() -> relayWithin(factory,
                "the source threw: is the consumer still waiting in take() for a pill that never comes?",
                () -> Relay.relay(source, sink, 2, factory)))
                .as("the source's exception, rethrown to the caller")
                .isSameAs(boom);
        assertThat(sink.got).as("items read before the source failed are still delivered")
                .containsExactly(0, 1, 2, 3, 4);
        assertThat(factory.made).as("threads alive after the failure").hasSize(2).noneMatch(Threads::stillAlive);
    }

    @Test
    void aCapacityBelowOneIsRejected() {
        assertThatThrownBy(() -> Relay.relay(List.of(1).iterator(), item -> { }, 0, new RecordingFactory()))
                .as("capacity 0")
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("capacity");
    }

    private static long resultOf(FutureTask<Long> call) throws Throwable {
        try {
            return call.get(PATIENCE.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw e.getCause();
        }
    }

    private static void awaitUninterruptibly(CountDownLatch latch) {
        boolean interrupted = false;
        while (true) {
            try {
                latch.await();
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}
