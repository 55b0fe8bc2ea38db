package parlab.stage3.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import parlab.testing.ThreadDumps;
import parlab.testing.Threads;

class PipelineTest {
    private static final Duration PATIENCE = Duration.ofSeconds(8);

    /** A factory that remembers every thread it made. */
    static final class RecordingFactory implements ThreadFactory {
        final List<Thread> made = new CopyOnWriteArrayList<>();

        @Override
        public Thread newThread(Runnable task) {
            Thread thread = new Thread(task, "pl-" + made.size());
            made.add(thread);
            return thread;
        }

        String stacks() {
            return made.stream().filter(Thread::isAlive).map(ThreadDumps::stack).collect(Collectors.joining());
        }
    }

    /**
     * The source, the sink and the error route of a test pipeline, keeping the test's own books: items read, items
     * that left (through the sink or the error route), and, at every read, how many were in flight.
     */
    static final class Books implements Iterator<Integer> {
        final int total;
        final long bound;
        final AtomicLong read = new AtomicLong();
        final AtomicLong left = new AtomicLong();
        final AtomicLong maxInFlight = new AtomicLong();
        final List<String> excesses = new CopyOnWriteArrayList<>();
        final List<Object> sunk = Collections.synchronizedList(new ArrayList<>());
        final ConcurrentLinkedQueue<StageFailure> failures = new ConcurrentLinkedQueue<>();
        final AtomicInteger sinkCallsNow = new AtomicInteger();
        final AtomicInteger mostConcurrentSinkCalls = new AtomicInteger();
        final Semaphore gate;
        final Object failInSink;
        final RuntimeException sinkFailure = new IllegalStateException("the sink failed on purpose");
        volatile Thread reader;

        Books(int total, long bound, Semaphore gate, Object failInSink) {
            this.total = total;
            this.bound = bound;
            this.gate = gate;
            this.failInSink = failInSink;
        }

        Books(int total) {
            this(total, Long.MAX_VALUE, null, null);
        }

        @Override
        public boolean hasNext() {
            return read.get() < total;
        }

        @Override
        public Integer next() {
            reader = Thread.currentThread();
            long seq = read.get();
            if (seq >= total) {
                throw new NoSuchElementException("the source has only " + total + " items");
            }
            long inFlight = seq - left.get();
            maxInFlight.accumulateAndGet(inFlight, Math::max);
            if (inFlight > bound && excesses.size() < 5) {
                excesses.add("when the reader took item " + seq + ", " + inFlight + " items were in flight (read, "
                        + "not yet through the sink or the error route), over the bound of " + bound);
            }
            read.incrementAndGet();
            return (int) seq;
        }

        void sink(Object item) {
            int now = sinkCallsNow.incrementAndGet();
            mostConcurrentSinkCalls.accumulateAndGet(now, Math::max);
            try {
                if (gate != null) {
                    gate.acquireUninterruptibly();
                }
                if (item.equals(failInSink)) {
                    throw sinkFailure;
                }
                sunk.add(item);
            } finally {
                sinkCallsNow.decrementAndGet();
                left.incrementAndGet();
            }
        }

        void error(StageFailure failure) {
            failures.add(failure);
            left.incrementAndGet();
        }

        <T> PipelineRun start(Pipeline<T> pipeline) {
            return pipeline.onError(this::error).to(this::sink);
        }
    }

    /** Waits for the pipeline to end, failing with where its threads stood if it does not. */
    static Report awaitReport(PipelineRun run, RecordingFactory factory, String whyItMayHang) throws Throwable {
        FutureTask<Report> wait = new FutureTask<>(run::await);
        Thread waiter = Thread.ofPlatform().name("pl-awaiting").start(wait);
        try {
            Report report = wait.get(PATIENCE.toMillis(), TimeUnit.MILLISECONDS);
            waiter.join();
            return report;
        } catch (ExecutionException e) {
            waiter.join();
            throw e.getCause();
        } catch (TimeoutException e) {
            String stacks = factory.stacks();
            waiter.interrupt();
            factory.made.forEach(Thread::interrupt);
            throw new AssertionError("await() had not returned " + PATIENCE.toSeconds() + " s after " + whyItMayHang
                    + "\nWhere the pipeline's threads stood:\n" + stacks);
        }
    }

    static void awaitUntil(BooleanSupplier condition, String what, RecordingFactory factory) throws Exception {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(what + " did not happen within " + PATIENCE.toSeconds() + " s\n"
                        + factory.stacks());
            }
            Thread.sleep(1); // polling the test's own counters
        }
    }

    /** Uneven work, so that parallel workers finish out of order: about x % 7 times 20 microseconds. */
    static long spin(long x) {
        long end = System.nanoTime() + (x % 7) * 20_000;
        long sum = x;
        while (System.nanoTime() < end) {
            sum = sum * 31 + 7;
        }
        blackhole = sum; // the work's result is not the point; x is
        return x;
    }

    static volatile long blackhole;

    static void assertThreads(RecordingFactory factory, int expected) {
        assertThat(factory.made).as("threads made by the factory: one reader, one per worker of each stage, one "
                + "for the sink").hasSize(expected)
                .as("threads alive after await() returned").noneMatch(Threads::stillAlive);
    }

    @Test
    void unorderedOutputIsTheSequentialCompositionAsAMultiset() throws Throwable {
        RecordingFactory factory = new RecordingFactory();
        Books books = new Books(2_000);
        PipelineRun run = books.start(Pipeline.from(books).threads(factory)
                .stage("square", 3, x -> spin(x) * spin(x))
                .stage("plus-one", 2, x -> spin(x) + 1)
                .stage("text", 1, x -> "#" + x));
        Report report = awaitReport(run, factory, "the source of 2,000 items was exhausted");
        List<Object> expected = IntStream.range(0, 2_000).mapToObj(x -> (Object) ("#" + ((long) x * x + 1))).toList();
        assertThat(books.sunk).as("what the sink received: the stages applied in sequence to every item, in any "
                + "order").containsExactlyInAnyOrderElementsOf(expected);
        assertThat(books.mostConcurrentSinkCalls.get()).as("sink calls at the same time: the sink has one thread")
                .isEqualTo(1);
        assertThat(report.accepted()).as("report: items accepted").isEqualTo(2_000);
        assertThat(report.delivered()).as("report: items delivered").isEqualTo(2_000);
        assertThat(report.failed()).as("report: items failed").isZero();
        assertThat(report.stages()).as("report: each stage's metrics, in stage order (busy time not checked here)")
                .usingRecursiveFieldByFieldElementComparatorIgnoringFields("busyNanos")
                .containsExactly(new StageMetrics("square", 2_000, 2_000, 0, 0),
                        new StageMetrics("plus-one", 2_000, 2_000, 0, 0), new StageMetrics("text", 2_000, 2_000, 0, 0));
        assertThreads(factory, 1 + 3 + 2 + 1 + 1);
    }

    /**
     * Stage "swap" (2 workers) holds every even item 2k until its odd partner 2k+1 has reached stage "mark" (1
     * worker): 2k+1 always leaves "swap" first. Without a reorder buffer, the sink would get 1, 0, 3, 2, ...
     */
    @Test
    void orderedModeRestoresSourceOrderAfterDeterministicDisorder() throws Throwable {
        int items = 200;
        CountDownLatch[] partnerArrived = new CountDownLatch[items / 2];
        Arrays.setAll(partnerArrived, k -> new CountDownLatch(1));
        List<String> stalls = new CopyOnWriteArrayList<>();
        List<Integer> markArrivals = new CopyOnWriteArrayList<>();
        RecordingFactory factory = new RecordingFactory();
        Books books = new Books(items);
        PipelineRun run = books.start(Pipeline.from(books).threads(factory).ordered()
                .stage("swap", 2, (Integer x) -> {
                    if (x % 2 == 0) {
                        try {
                            if (!partnerArrived[x / 2].await(5, TimeUnit.SECONDS)) {
                                stalls.add("item " + x + " waited 5 s in stage swap for item " + (x + 1) + " to reach "
                                        + "stage mark: do 2 workers of stage swap really take items at the same time?");
                            }
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        }
                    }
                    return x;
                })
                .stage("mark", 1, (Integer x) -> {
                    markArrivals.add(x);
                    if (x % 2 == 1) {
                        partnerArrived[x / 2].countDown();
                    }
                    return x;
                })
                .stage("scale", 1, (Integer x) -> 3L * x));
        awaitReport(run, factory, "the source of 200 items was exhausted. Stage swap holds each even item until "
                + "the next odd one reaches stage mark: do its 2 workers take items at the same time? Does the reorder "
                + "buffer pass an item on as soon as every item before it has left?");
        assertThat(stalls).as("stalls of stage swap").isEmpty();
        assertThat(IntStream.range(0, items / 2)
                .filter(k -> markArrivals.indexOf(2 * k + 1) > markArrivals.indexOf(2 * k)).boxed().toList())
                .as("pairs that stage mark saw in order (the test's disorder did not happen)").isEmpty();
        assertThat(books.sunk).as("what the sink received in ordered mode: exactly the source order, though every "
                + "odd item left stage swap before the even item in front of it")
                .containsExactlyElementsOf(IntStream.range(0, items).mapToObj(x -> (Object) (3L * x)).toList());
        assertThreads(factory, 1 + 2 + 1 + 1 + 1);
    }

    @ParameterizedTest(name = "ordered = {0}")
    @ValueSource(booleans = {false, true})
    void failuresGoToTheErrorRouteAndThePipelineGoesOn(boolean ordered) throws Throwable {
        RecordingFactory factory = new RecordingFactory();
        Books books = new Books(500, Long.MAX_VALUE, null, 22L);
        Map<Integer, RuntimeException> thrown = new ConcurrentHashMap<>();
        Pipeline<Integer> base = Pipeline.from(books).threads(factory);
        PipelineRun run = books.start((ordered ? base.ordered() : base)
                .stage("parse", 2, (Integer x) -> {
                    if (x % 10 == 3) {
                        RuntimeException bad = new IllegalArgumentException("cannot parse " + x);
                        thrown.put(x, bad);
                        throw bad;
                    }
                    spin(x);
                    return x;
                })
                .stage("double", 2, (Integer x) -> {
                    if (x % 50 == 7) {
                        RuntimeException bad = new ArithmeticException("cannot double " + x);
                        thrown.put(x, bad);
                        throw bad;
                    }
                    return 2L * x;
                }));
        Report report = awaitReport(run, factory, "the source of 500 items was exhausted; 61 items failed on the "
                + "way. In ordered mode, does the reorder buffer wait for an item that failed and will never come?");
        List<Object> expected = IntStream.range(0, 500).filter(x -> x % 10 != 3 && x % 50 != 7 && x != 11)
                .mapToObj(x -> (Object) (2L * x)).toList();
        if (ordered) {
            assertThat(books.sunk).as("items delivered in ordered mode, failed ones skipped")
                    .containsExactlyElementsOf(expected);
        } else {
            assertThat(books.sunk).as("items delivered").containsExactlyInAnyOrderElementsOf(expected);
        }
        Map<String, List<StageFailure>> byStage = books.failures.stream()
                .collect(Collectors.groupingBy(StageFailure::stage));
        assertThat(byStage.keySet()).as("stages named in the error route").containsExactlyInAnyOrder("parse",
                "double", "sink");
        assertThat(byStage.get("parse")).as("failures of stage parse: the item it was given and what it threw")
                .hasSize(50).allSatisfy(f -> assertThat(f.error()).isSameAs(thrown.get((Integer) f.item())));
        assertThat(byStage.get("double")).as("failures of stage double: the item it was given and what it threw")
                .hasSize(10).allSatisfy(f -> assertThat(f.error()).isSameAs(thrown.get((Integer) f.item())));
        assertThat(byStage.get("sink")).as("failures of the sink").singleElement()
                .satisfies(f -> assertThat(f.item()).isEqualTo(22L),
                        f -> assertThat(f.error()).isSameAs(books.sinkFailure));
        assertThat(List.of(report.accepted(), report.delivered(), report.failed()))
                .as("report: accepted, delivered, failed").containsExactly(500L, 439L, 61L);
        assertThat(report.stages()).as("report: each stage's metrics")
                .usingRecursiveFieldByFieldElementComparatorIgnoringFields("busyNanos")
                .containsExactly(new StageMetrics("parse", 500, 450, 50, 0),
                        new StageMetrics("double", 450, 440, 10, 0));
        assertThreads(factory, 1 + 2 + 2 + 1);
    }

    @ParameterizedTest(name = "ordered = {0}")
    @ValueSource(booleans = {false, true})
    void queuesAreBoundedAndShutdownDrainsEveryAcceptedItem(boolean ordered) throws Throwable {
        int capacity = 4;
        long bound = capacity * 3 + (2 + 1) + 2; // 3 queues, 3 workers, the reader and the sink thread
        Semaphore gate = new Semaphore(0);
        RecordingFactory factory = new RecordingFactory();
        Books books = new Books(100_000, bound, gate, null);
        Pipeline<Integer> base = Pipeline.from(books).threads(factory).capacity(capacity);
        PipelineRun run = books.start((ordered ? base.ordered() : base)
                .stage("first", 2, (Integer x) -> x + 1)
                .stage("second", 1, (Integer x) -> x * 2));
        awaitUntil(() -> books.read.get() >= capacity * 3 && books.reader != null
                && books.reader.getState() == Thread.State.WAITING,
                "the reader filling the queues in front of a stalled sink, then waiting", factory);
        assertThat(books.excesses).as("the reader must wait while every queue is full: queues of " + capacity
                + " items").isEmpty();
        run.shutdown();
        long readAtShutdown = books.read.get();
        gate.release(1_000_000);
        Report report = awaitReport(run, factory, "shutdown() with " + readAtShutdown + " items read. Does the reader "
                + "stop? Does every worker learn that no more items will come?");
        assertThat(books.read.get()).as("items read after shutdown() (at most the one being read then)")
                .isBetween(readAtShutdown, readAtShutdown + 1);
        assertThat(books.excesses).as("items in flight at each read").isEmpty();
        List<Object> expected = IntStream.range(0, (int) books.read.get()).mapToObj(x -> (Object) ((x + 1) * 2))
                .toList();
        if (ordered) {
            assertThat(books.sunk).as("every item read before the shutdown, delivered in order")
                    .containsExactlyElementsOf(expected);
        } else {
            assertThat(books.sunk).as("every item read before the shutdown, delivered")
                    .containsExactlyInAnyOrderElementsOf(expected);
        }
        assertThat(List.of(report.accepted(), report.delivered(), report.failed()))
                .as("report: accepted, delivered, failed").containsExactly(books.read.get(), books.read.get(), 0L);
        assertThreads(factory, 1 + 2 + 1 + 1);
    }

    @Test
    void busyTimeCoversTheTimeSpentInEachStage() throws Throwable {
        RecordingFactory factory = new RecordingFactory();
        Books books = new Books(300);
        LongAdder measuredInside = new LongAdder();
        Set<Thread> spinThreads = ConcurrentHashMap.newKeySet();
        long start = System.nanoTime();
        PipelineRun run = books.start(Pipeline.from(books).threads(factory)
                .stage("spin", 2, (Integer x) -> {
                    long t0 = System.nanoTime();
                    spinThreads.add(Thread.currentThread());
                    spin(x);
                    measuredInside.add(System.nanoTime() - t0);
                    return x;
                })
                .stage("pass", 1, (Integer x) -> x));
        Report report = awaitReport(run, factory, "the source of 300 items was exhausted");
        long wall = System.nanoTime() - start;
        StageMetrics spin = report.stages().get(0);
        assertThat(spin.busyNanos()).as("busy time of stage spin: at least the time its function measured itself")
                .isGreaterThanOrEqualTo(measuredInside.sum())
                .as("busy time of stage spin: at most 2 workers times the whole run").isLessThanOrEqualTo(2 * wall);
        assertThat(report.stages().get(1).busyNanos()).as("busy time of stage pass (1 worker)").isBetween(0L, wall);
        assertThat(spinThreads).as("threads that ran stage spin: its 2 workers").hasSize(2)
                .allMatch(factory.made::contains);
        assertThreads(factory, 1 + 2 + 1 + 1);
    }
}
