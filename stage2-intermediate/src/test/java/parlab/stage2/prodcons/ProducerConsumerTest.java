package parlab.stage2.prodcons;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import parlab.stage2.prodcons.ProducerConsumer.Config;
import parlab.testing.ThreadDumps;
import parlab.testing.Threads;

class ProducerConsumerTest {
    private static final Duration PATIENCE = Duration.ofSeconds(5);

    /** A factory that remembers every thread it made. */
    static final class RecordingFactory implements ThreadFactory {
        final List<Thread> made = new CopyOnWriteArrayList<>();

        @Override
        public Thread newThread(Runnable task) {
            Thread thread = new Thread(task, "prodcons-" + made.size());
            made.add(thread);
            return thread;
        }
    }

    /**
     * Work that keeps its own books, independent of the learner's ledger: how often each id was produced and
     * consumed, by which threads, and whether each producer's items came in sequence order. Producer
     * {@code failingProducer} throws {@code failure} instead of producing item {@code failAt}.
     */
    static final class CountingWork implements Work {
        final Map<Long, AtomicInteger> producedTimes = new ConcurrentHashMap<>();
        final Map<Long, AtomicInteger> consumedTimes = new ConcurrentHashMap<>();
        final Set<Thread> producers = ConcurrentHashMap.newKeySet();
        final Set<Thread> consumers = ConcurrentHashMap.newKeySet();
        final Map<Integer, AtomicInteger> nextSequence = new ConcurrentHashMap<>();
        final List<String> outOfOrder = new CopyOnWriteArrayList<>();
        final Set<Integer> failingProducers;
        final int failAt;
        final Map<Integer, RuntimeException> failures = new ConcurrentHashMap<>();

        CountingWork() {
            this(Set.of(), -1);
        }

        CountingWork(Set<Integer> failingProducers, int failAt) {
            this.failingProducers = failingProducers;
            this.failAt = failAt;
        }

        @Override
        public Item produce(int producer, int sequence) {
            producers.add(Thread.currentThread());
            int expected = nextSequence.computeIfAbsent(producer, p -> new AtomicInteger()).getAndIncrement();
            if (sequence != expected) {
                outOfOrder.add("producer " + producer + " was asked for item " + sequence + " instead of " + expected);
            }
            if (failingProducers.contains(producer) && sequence == failAt) {
                RuntimeException boom = new IllegalStateException("producer " + producer + " failed at " + sequence);
                failures.put(producer, boom);
                throw boom;
            }
            Item item = new Item(producer, sequence, 31L * sequence + producer);
            producedTimes.computeIfAbsent(item.id(), id -> new AtomicInteger()).incrementAndGet();
            return item;
        }

        @Override
        public void consume(Item item) {
            consumers.add(Thread.currentThread());
            consumedTimes.computeIfAbsent(item.id(), id -> new AtomicInteger()).incrementAndGet();
        }

        /** Checks the books: every produced item consumed exactly once, nothing else consumed. */
        void assertExactlyOnce(long expectedItems) {
            assertThat(outOfOrder).as("producers must produce their items in sequence order, each once").isEmpty();
            assertThat(producedTimes).as("items produced").hasSize((int) expectedItems);
            assertThat(consumedTimes.keySet()).as("ids consumed that were never produced (invented items)")
                    .isSubsetOf(producedTimes.keySet());
            assertThat(producedTimes.keySet()).as("ids produced but never consumed (lost items)")
                    .isSubsetOf(consumedTimes.keySet());
            assertThat(consumedTimes.entrySet().stream().filter(e -> e.getValue().get() != 1)
                    .map(e -> "item " + (e.getKey() >> 32) + "/" + (e.getKey() & 0xffffffffL) + " consumed "
                            + e.getValue().get() + " times").toList())
                    .as("items consumed more than once").isEmpty();
        }
    }

    @ParameterizedTest(name = "{0} producers, {1} consumers, {2} items each, queue of {3}")
    @CsvSource({"1, 1, 2000, 1", "1, 4, 2000, 2", "4, 1, 1000, 2", "3, 3, 1000, 8", "4, 2, 500, 1",
            "2, 5, 1000, 64", "2, 6, 1, 4", "3, 2, 0, 2"})
    void everyItemIsConsumedExactlyOnce(int m, int n, int items, int capacity) throws Throwable {
        RecordingFactory factory = new RecordingFactory();
        CountingWork work = new CountingWork();
        Report report = runWithin(factory, "running %d producers and %d consumers".formatted(m, n),
                new Config(m, n, items, capacity), work);
        long total = (long) m * items;
        work.assertExactlyOnce(total);
        assertThat(report).as("the report of a run where nothing failed: the ledger's counts")
                .isEqualTo(new Report(total, total, 0, List.of()));
        assertThat(factory.made).as("threads made for %d producers and %d consumers", m, n).hasSize(m + n)
                .as("threads alive after run returned: join every thread you start").noneMatch(Threads::stillAlive);
    }

    @Test
    void producersOnlyProduceAndConsumersOnlyConsume() throws Throwable {
        RecordingFactory factory = new RecordingFactory();
        CountingWork work = new CountingWork();
        runWithin(factory, "running 3 producers and 2 consumers", new Config(3, 2, 2000, 4), work);
        assertThat(work.producers).as("threads that produced: the 3 producers, all from the factory")
                .hasSize(3).allMatch(factory.made::contains);
        assertThat(work.consumers).as("threads that consumed: at most the 2 consumers, all from the factory")
                .isNotEmpty().hasSizeLessThanOrEqualTo(2).allMatch(factory.made::contains)
                .as("a consumer thread that also produced").doesNotContainAnyElementsOf(work.producers);
        assertThat(factory.made).as("threads alive after run returned").noneMatch(Threads::stillAlive);
    }

    @Test
    void aFailingProducerIsReportedAndEverythingElseStillEnds() throws Throwable {
        RecordingFactory factory = new RecordingFactory();
        CountingWork work = new CountingWork(Set.of(1), 300);
        Report report = runWithin(factory,
                "producer 1 failed at its item 300: did the consumers ever learn that no more items would come?",
                new Config(3, 2, 1000, 4), work);
        assertThat(report.producerFailures()).as("the failures reported: producer 1's exception, once")
                .containsExactly(work.failures.get(1));
        long total = 2 * 1000 + 300; // producers 0 and 2 finish; producer 1 made items 0 to 299
        work.assertExactlyOnce(total);
        assertThat(report.produced()).as("items produced according to the report").isEqualTo(total);
        assertThat(report.consumed()).as("items consumed according to the report").isEqualTo(total);
        assertThat(report.rejected()).as("ledger entries refused").isZero();
        assertThat(factory.made).as("threads alive after the failure").hasSize(5).noneMatch(Threads::stillAlive);
    }

    @Test
    void whenEveryProducerFailsTheConsumersStillEnd() throws Throwable {
        RecordingFactory factory = new RecordingFactory();
        CountingWork work = new CountingWork(Set.of(0, 1, 2), 0);
        Report report = runWithin(factory,
                "every producer failed on its first item: are the consumers still waiting for a pill?",
                new Config(3, 4, 100, 2), work);
        assertThat(report.producerFailures()).as("the failures reported: one per producer, each the same object")
                .containsExactlyInAnyOrderElementsOf(work.failures.values());
        assertThat(report.produced()).as("items produced").isZero();
        assertThat(report.consumed()).as("items consumed").isZero();
        assertThat(factory.made).as("threads alive after the failures").hasSize(7).noneMatch(Threads::stillAlive);
    }

    /**
     * Calls run on a thread of its own and fails with a description of the stuck threads if it has not returned
     * within {@link #PATIENCE}; the stuck threads are then interrupted, so that they do not linger.
     */
    private static Report runWithin(RecordingFactory factory, String whyItMayHang, Config config, Work work)
            throws Throwable {
        FutureTask<Report> call = new FutureTask<>(() -> ProducerConsumer.run(config, work, factory));
        Thread caller = Thread.ofPlatform().name("prodcons-caller").start(call);
        try {
            Report report = call.get(PATIENCE.toMillis(), TimeUnit.MILLISECONDS);
            caller.join();
            return report;
        } catch (ExecutionException e) {
            caller.join();
            throw e.getCause();
        } catch (TimeoutException e) {
            String stacks = factory.made.stream().filter(Thread::isAlive).map(ThreadDumps::stack)
                    .collect(Collectors.joining());
            caller.interrupt();
            factory.made.forEach(Thread::interrupt);
            throw new AssertionError("run(...) had not returned " + PATIENCE.toSeconds() + " s after "
                    + whyItMayHang + "\nWhere the threads stood:\n" + stacks);
        }
    }
}
