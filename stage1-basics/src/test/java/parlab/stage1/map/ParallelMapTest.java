package parlab.stage1.map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import parlab.testing.Threads;

class ParallelMapTest {
    /** How long an item held by a gate waits before the test gives up on it. */
    private static final long PATIENCE_SECONDS = 3;

    /** A factory that remembers every thread it made, so the tests can count and inspect them. */
    static final class RecordingFactory implements ThreadFactory {
        final List<Thread> made = new CopyOnWriteArrayList<>();

        @Override
        public Thread newThread(Runnable task) {
            Thread thread = new Thread(task, "map-worker-" + made.size());
            made.add(thread);
            return thread;
        }
    }

    private static List<Integer> range(int n) {
        return IntStream.range(0, n).boxed().toList();
    }

    /** Waits for the gate inside a task; failing the task (and so the call) if it never opens. */
    private static void awaitOrFail(CountDownLatch gate, String whyItShouldHaveOpened) {
        try {
            if (!gate.await(PATIENCE_SECONDS, TimeUnit.SECONDS)) {
                throw new AssertionError(whyItShouldHaveOpened);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while waiting: " + whyItShouldHaveOpened, e);
        }
    }

    /** Blocks until interrupted (recorded in {@code interrupted}) or until the patience runs out. */
    private static void blockUntilInterrupted(int item, Set<Integer> interrupted) {
        try {
            new CountDownLatch(1).await(PATIENCE_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            interrupted.add(item);
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Asserts that every thread the factory made ends. A terminated pool's last worker may still be unwinding for a
     * moment after {@code awaitTermination} returns, so each thread gets a short join; one that is still alive
     * after it belongs to a pool that was never shut down.
     */
    private static void assertEveryThreadEnds(RecordingFactory factory, String afterWhat) {
        assertThat(factory.made).as("threads made by the factory").isNotEmpty();
        for (Thread thread : factory.made) {
            try {
                thread.join(TimeUnit.SECONDS.toMillis(PATIENCE_SECONDS));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted while joining " + thread.getName(), e);
            }
        }
        assertThat(factory.made)
                .as("pool threads still alive %d s after %s: the pool was never shut down (close it, e.g. with "
                        + "try-with-resources)", PATIENCE_SECONDS, afterWhat)
                .noneMatch(Threads::stillAlive);
    }

    @ParameterizedTest(name = "{0} items, {1} workers, chunkSize {2}")
    @CsvSource({"1, 1, 1", "10, 3, 1", "10, 3, 4", "1000, 4, 1", "1000, 3, 7", "1000, 2, 1000", "5, 2, 100"})
    void mapReturnsEachResultAtItsItemsIndex(int n, int workers, int chunkSize) throws InterruptedException {
        List<String> expected = range(n).stream().map(i -> "v" + i).toList();
        assertThat(ParallelMap.map(range(n), i -> "v" + i, workers, chunkSize, new RecordingFactory()))
                .as("map over %d items with %d workers and chunkSize %d", n, workers, chunkSize)
                .containsExactlyElementsOf(expected);
    }

    @Test
    void theShortFormMapsInOrderToo() throws InterruptedException {
        assertThat(ParallelMap.map(range(100), i -> i * i, 3))
                .as("map(items, fn, 3)")
                .containsExactlyElementsOf(range(100).stream().map(i -> i * i).toList());
    }

    @Test
    void orderIsKeptWhenLaterItemsFinishFirst() throws InterruptedException {
        // 2 workers, 6 items: item 0 holds its worker until item 5 has started, so the other worker has mapped
        // items 1..4 (and their tasks have completed) before item 0 can complete.
        CountDownLatch lastItemStarted = new CountDownLatch(1);
        Function<Integer, String> fn = i -> {
            if (i == 5) {
                lastItemStarted.countDown();
            }
            if (i == 0) {
                awaitOrFail(lastItemStarted, "item 0 waited in vain for item 5 to start: with 2 workers, the other "
                        + "worker should map items 1..5 while item 0 waits");
            }
            return "v" + i;
        };
        assertThat(ParallelMap.map(range(6), fn, 2, 1, new RecordingFactory()))
                .as("map's results when items 1..4 complete before item 0: still in the items' order, not in "
                        + "completion order")
                .containsExactly("v0", "v1", "v2", "v3", "v4", "v5");
    }

    @Test
    void mapUnorderedGivesEveryResultExactlyOnceOnTheCallingThread() throws InterruptedException {
        Thread caller = Thread.currentThread();
        List<Integer> received = Collections.synchronizedList(new ArrayList<>());
        Set<Thread> consumerThreads = ConcurrentHashMap.newKeySet();
        ParallelMap.mapUnordered(range(1000), i -> i * 3, 3, 7, new RecordingFactory(), r -> {
            consumerThreads.add(Thread.currentThread());
            received.add(r);
        });
        assertThat(consumerThreads)
                .as("threads that called onResult: only the one that called mapUnordered, never a worker")
                .containsExactly(caller);
        assertThat(received)
                .as("results given to onResult (each of the 1000 exactly once)")
                .containsExactlyInAnyOrderElementsOf(range(1000).stream().map(i -> i * 3).toList());
    }

    @Test
    void mapUnorderedHandsOverEachResultAsSoonAsItsTaskCompletes() throws InterruptedException {
        // 4 items on 4 workers, each held by its own gate. Only item 2's gate is open at first; each result that
        // onResult receives opens the next gate: 2, then 0, then 3, then 1. So the tasks complete in exactly that
        // order, and onResult can only see each result if it gets it while the other tasks are still waiting.
        List<Integer> releaseOrder = List.of(2, 0, 3, 1);
        Map<Integer, CountDownLatch> gates = new LinkedHashMap<>();
        range(4).forEach(i -> gates.put(i, new CountDownLatch(1)));
        gates.get(releaseOrder.getFirst()).countDown();
        List<Integer> received = new CopyOnWriteArrayList<>();
        Function<Integer, Integer> fn = i -> {
            awaitOrFail(gates.get(i), "item " + i + " was never released: mapUnordered must give each result to "
                    + "onResult as soon as its task completes, while the other tasks still run (here each result "
                    + "received opens the gate of the next item)");
            return i;
        };
        ParallelMap.mapUnordered(range(4), fn, 4, 1, new RecordingFactory(), r -> {
            received.add(r);
            if (received.size() < releaseOrder.size()) {
                gates.get(releaseOrder.get(received.size())).countDown();
            }
        });
        assertThat(received).as("results in the order their tasks completed").containsExactly(2, 0, 3, 1);
    }

    @Test
    void runsUpToWorkersTasksAtOnceOnTheFactorysThreads() throws InterruptedException {
        RecordingFactory factory = new RecordingFactory();
        CountDownLatch fourRunning = new CountDownLatch(4);
        AtomicInteger notTogether = new AtomicInteger();
        Set<Thread> ranOn = ConcurrentHashMap.newKeySet();
        ParallelMap.map(range(8), i -> {
            ranOn.add(Thread.currentThread());
            fourRunning.countDown();
            try {
                if (!fourRunning.await(PATIENCE_SECONDS, TimeUnit.SECONDS)) {
                    notTogether.incrementAndGet();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return i;
        }, 4, 1, factory);
        assertThat(notTogether.get())
                .as("tasks that waited in vain for 4 tasks to run at the same time (workers = 4)")
                .isZero();
        assertThat(factory.made).as("threads made for 4 workers").hasSizeBetween(1, 4);
        assertThat(ranOn).as("threads that ran fn: only threads made by the given factory")
                .isSubsetOf(factory.made);
    }

    @ParameterizedTest(name = "{0} items, chunkSize {1}, {2} workers: at most {3} threads")
    @CsvSource({"3, 1, 8, 3", "10, 5, 8, 2", "10, 10, 4, 1"})
    void neverMakesMoreThreadsThanChunks(int n, int chunkSize, int workers, int chunks) throws InterruptedException {
        RecordingFactory factory = new RecordingFactory();
        ParallelMap.map(range(n), i -> i, workers, chunkSize, factory);
        assertThat(factory.made)
                .as("threads made for %d chunks of work and %d allowed workers", chunks, workers)
                .hasSizeBetween(1, chunks);
    }

    @Test
    void anEmptyListMakesNoThread() throws InterruptedException {
        RecordingFactory factory = new RecordingFactory();
        assertThat(ParallelMap.map(List.<Integer>of(), i -> i, 4, 1, factory)).as("map of an empty list").isEmpty();
        List<Integer> received = new ArrayList<>();
        ParallelMap.mapUnordered(List.<Integer>of(), i -> i, 4, 1, factory, received::add);
        assertThat(received).as("results handed over for an empty list").isEmpty();
        assertThat(factory.made).as("threads made for no work").isEmpty();
    }

    @Test
    void eachChunkIsMappedInOrderByOneTask() throws InterruptedException {
        // 10 items, chunkSize 3: chunks [0,1,2] [3,4,5] [6,7,8] [9]. Item 0 holds its worker until item 3 has
        // started, so the other worker must take the next task meanwhile: with chunks, that task is [3,4,5]; a
        // pool fed one item per task would give it item 1, and item 1 would be mapped apart from item 0.
        int chunkSize = 3;
        CountDownLatch secondChunkStarted = new CountDownLatch(1);
        AtomicInteger waitedInVain = new AtomicInteger();
        Map<String, List<Integer>> mappedBy = new ConcurrentHashMap<>();
        List<Integer> results = ParallelMap.map(range(10), i -> {
            mappedBy.computeIfAbsent(Thread.currentThread().getName(), k -> new CopyOnWriteArrayList<>()).add(i);
            if (i == 3) {
                secondChunkStarted.countDown();
            }
            if (i == 0) {
                try {
                    if (!secondChunkStarted.await(PATIENCE_SECONDS, TimeUnit.SECONDS)) {
                        waitedInVain.incrementAndGet();
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            return i;
        }, 2, chunkSize, new RecordingFactory());
        assertThat(results).as("results").containsExactlyElementsOf(range(10));
        assertThat(mappedBy.values())
                .as("items each thread mapped, in the order it mapped them: %s. With chunkSize %d every task maps "
                        + "the consecutive items [%d·k, %d·k + %d) one after another, so each thread's list must "
                        + "be whole chunks in order", mappedBy, chunkSize, chunkSize, chunkSize, chunkSize)
                .allMatch(mapped -> isWholeChunks(mapped, chunkSize, 10));
        assertThat(waitedInVain.get())
                .as("item 0 waited in vain for item 3 (the start of the second chunk) to be taken by the other "
                        + "worker: items [0, 3) and [3, 6) belong to different tasks")
                .isZero();
    }

    /** Whether {@code mapped} is a run of whole chunks [c·k, min(n, c·k + c)), each in ascending order. */
    private static boolean isWholeChunks(List<Integer> mapped, int chunkSize, int n) {
        int i = 0;
        while (i < mapped.size()) {
            int start = mapped.get(i);
            if (start % chunkSize != 0) {
                return false;
            }
            for (int item = start; item < Math.min(n, start + chunkSize); item++, i++) {
                if (i >= mapped.size() || mapped.get(i) != item) {
                    return false;
                }
            }
        }
        return true;
    }

    @Test
    void theFirstFailureIsRethrownAndStopsEveryOtherTask() {
        // 2 workers, 20 items. Item 1 fails at once. Items 0 and 2 (the ones a worker may be running meanwhile)
        // block until they are interrupted. Items 3..19 should be cancelled before they start; one that slips
        // through holds its worker for a moment too, as real work would.
        RecordingFactory factory = new RecordingFactory();
        IllegalStateException boom = new IllegalStateException("boom at item 1");
        Set<Integer> started = ConcurrentHashMap.newKeySet();
        Set<Integer> interrupted = ConcurrentHashMap.newKeySet();
        Set<Integer> finished = ConcurrentHashMap.newKeySet();
        Function<Integer, Integer> fn = i -> {
            started.add(i);
            try {
                if (i == 1) {
                    throw boom;
                }
                if (i == 0 || i == 2) {
                    blockUntilInterrupted(i, interrupted);
                } else {
                    try {
                        new CountDownLatch(1).await(300, TimeUnit.MILLISECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
                return i;
            } finally {
                finished.add(i);
            }
        };
        assertThat(catchThrowable(() -> ParallelMap.map(range(20), fn, 2, 1, factory)))
                .as("what map threw: the exception fn threw for item 1, the same object")
                .isSameAs(boom);
        assertThat(Set.copyOf(finished))
                .as("items whose fn was over when map threw, of those started (%s): wait until the pool has "
                        + "terminated before you throw, so that no task outlives the call", Set.copyOf(started))
                .containsExactlyInAnyOrderElementsOf(Set.copyOf(started));
        // A worker freed by an interrupt may grab a queued task in the instant before it is cancelled, so a few
        // may slip through; without cancelling, all 17 run.
        assertThat(started.stream().filter(i -> i >= 3).sorted().toList())
                .as("items 3..19, queued behind the failure, that still started: cancel the other tasks as soon as "
                        + "one fails")
                .hasSizeLessThanOrEqualTo(8);
        Set<Integer> runningWhenItFailed = new TreeSet<>(started);
        runningWhenItFailed.retainAll(Set.of(0, 2));
        assertThat(interrupted)
                .as("items that were running when item 1 failed (%s) and that were interrupted: the first failure "
                        + "must stop the running tasks at once, not after the earlier items finished",
                        runningWhenItFailed)
                .containsExactlyInAnyOrderElementsOf(runningWhenItFailed);
        assertEveryThreadEnds(factory, "map threw");
    }

    @ParameterizedTest(name = "a {0}")
    @ValueSource(strings = {"RuntimeException", "Error"})
    void mapUnorderedRethrowsTheSameExceptionAndShutsThePoolDown(String kind) {
        RecordingFactory factory = new RecordingFactory();
        Throwable boom = kind.equals("Error") ? new Error("boom at item 37") : new IllegalArgumentException("boom");
        Function<Integer, Integer> fn = i -> {
            if (i == 37) {
                if (boom instanceof Error error) {
                    throw error;
                }
                throw (RuntimeException) boom;
            }
            return i;
        };
        assertThat(catchThrowable(() -> ParallelMap.mapUnordered(range(100), fn, 3, 4, factory, r -> { })))
                .as("what mapUnordered threw: the %s fn threw for item 37, the same object", kind)
                .isSameAs(boom);
        assertEveryThreadEnds(factory, "mapUnordered threw");
    }

    @Test
    void thePoolIsShutDownWhenTheCallReturns() throws InterruptedException {
        RecordingFactory forMap = new RecordingFactory();
        ParallelMap.map(range(100), i -> i + 1, 3, 1, forMap);
        assertEveryThreadEnds(forMap, "map returned");
        RecordingFactory forUnordered = new RecordingFactory();
        ParallelMap.mapUnordered(range(100), i -> i + 1, 3, 1, forUnordered, r -> { });
        assertEveryThreadEnds(forUnordered, "mapUnordered returned");
    }

    @Test
    void anInterruptedCallerGetsInterruptedExceptionAndEveryTaskIsStopped() {
        // Item 0 interrupts the caller and then blocks; so does item 1 on the other worker.
        Thread caller = Thread.currentThread();
        RecordingFactory factory = new RecordingFactory();
        Set<Integer> started = ConcurrentHashMap.newKeySet();
        Set<Integer> interrupted = ConcurrentHashMap.newKeySet();
        Function<Integer, Integer> fn = i -> {
            started.add(i);
            if (i == 0) {
                caller.interrupt();
            }
            if (i <= 1) {
                blockUntilInterrupted(i, interrupted);
            }
            return i;
        };
        assertThatExceptionOfType(InterruptedException.class)
                .as("what map threw when its calling thread was interrupted while it waited for results")
                .isThrownBy(() -> ParallelMap.map(range(10), fn, 2, 1, factory));
        Thread.interrupted(); // whatever map did with the flag, do not carry it into the assertions below
        Set<Integer> blockingItems = new TreeSet<>(started);
        blockingItems.retainAll(Set.of(0, 1));
        assertThat(interrupted)
                .as("blocked items (%s) that were interrupted when the caller gave up", blockingItems)
                .contains(0)
                .containsExactlyInAnyOrderElementsOf(blockingItems);
        assertEveryThreadEnds(factory, "map was interrupted");
    }

    @Test
    void badArgumentsAreRejectedWithAMessage() {
        RecordingFactory factory = new RecordingFactory();
        assertThatIllegalArgumentException().as("map with workers = 0")
                .isThrownBy(() -> ParallelMap.map(range(10), i -> i, 0, 1, factory)).withMessageContaining("workers");
        assertThatIllegalArgumentException().as("map with chunkSize = 0")
                .isThrownBy(() -> ParallelMap.map(range(10), i -> i, 2, 0, factory))
                .withMessageContaining("chunkSize");
        assertThatIllegalArgumentException()
                .as("map of an empty list with workers = -1 (arguments are checked before the list)")
                .isThrownBy(() -> ParallelMap.map(List.<Integer>of(), i -> i, -1, 1, factory))
                .withMessageContaining("workers");
        assertThatIllegalArgumentException().as("mapUnordered with workers = 0")
                .isThrownBy(() -> ParallelMap.mapUnordered(range(10), i -> i, 0, 1, factory, r -> { }))
                .withMessageContaining("workers");
        assertThatIllegalArgumentException().as("mapUnordered of an empty list with chunkSize = 0")
                .isThrownBy(() -> ParallelMap.mapUnordered(List.<Integer>of(), i -> i, 2, 0, factory, r -> { }))
                .withMessageContaining("chunkSize");
        assertThat(factory.made).as("threads made for rejected calls").isEmpty();
    }
}
