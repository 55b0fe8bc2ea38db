package parlab.stage3.pipeline;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;

/**
 * s3e08 · Multi-stage parallel pipeline.
 *
 * <p>Most data jobs are a chain: read → parse → enrich → encode → write. Each step has its own cost and its own
 * best degree of parallelism (parsing is CPU-bound, enrichment waits on a service), so each gets its own workers,
 * and bounded queues join them: the slowest stage sets the pace and the others wait instead of filling memory
 * (s3e03). {@link Pipeline} is the builder; this class is the engine that runs what it describes:
 *
 * <pre>
 * source ─▶ reader ─▶ [queue] ─▶ stage 1 (p₁ workers) ─▶ [queue] ─▶ … ─▶ stage n (pₙ workers) ─▶ [queue] ─▶ sink
 *                                       │                                      │
 *                                       └──────────────▶ error route ◀─────────┘
 * </pre>
 *
 * Three things make it more than a chain of queues. A failing item must not stop the pipeline: it goes to the
 * error route with the name of the stage that failed and the exception, and everything else goes on. Operators need
 * to see where the time goes: each stage counts items in and out, errors, and time spent busy. And when the output
 * must keep the input's order, parallel workers are in the way: item 7 may leave a stage before item 6. Each item
 * then carries its <em>sequence number</em> from the source, and a <em>reorder buffer</em> in front of the sink holds
 * early items until the ones before them arrive, or are known to have failed.
 *
 * <p>The contract, which the tests pin down:
 * <ul>
 *   <li>{@link #start} returns at once, with the pipeline running on exactly {@code 2 + Σ parallelism} threads made
 *       by {@code settings.threads()}: one reads the source, {@code parallelism} per stage apply its function, one
 *       calls the sink (so the sink is never called concurrently);
 *   <li>the items the sink receives are the sequential composition of the stages applied to the source's items:
 *       the same multiset; with {@code settings.ordered()}, the same sequence;
 *   <li>each queue holds at most {@code settings.capacity()} items, so that while the sink is stalled the reader is
 *       at most {@code capacity × (stages + 1) + Σ parallelism + 2} items ahead of it, in either mode;
 *   <li>an item whose stage function throws (or whose sink call throws) goes to {@code settings.errors()} as a
 *       {@link StageFailure} with the stage's name ({@code "sink"} for the sink), the item the stage was given, and
 *       the same exception; it is not passed on, the pipeline goes on, and in ordered mode nothing waits for it;
 *   <li>{@link #shutdown()} stops reading the source; every item already read still leaves, through the sink or the
 *       error route. The pipeline also ends when the source is exhausted;
 *   <li>{@link #await()} returns once every thread of the pipeline has ended, with a {@link Report} in which
 *       {@code accepted == delivered + failed} and each stage's {@link StageMetrics} add up
 *       ({@code itemsIn == itemsOut + errors}; {@code busyNanos} covers at least the time spent in its function).
 * </ul>
 *
 * <p>Baseline experiment: {@code ./lab bench pipeline} runs a CPU-heavy middle stage with 1, 2 and 4 workers. How
 * much faster is 2 on a 2-core machine, and why does 4 not help?
 *
 * <p>Things to think about: with several workers per stage, which one tells the next stage that no more items will
 * come, and when? In ordered mode, how does the reorder buffer learn that item 41 will never come because stage 2
 * threw on it? And what bounds the reorder buffer itself?
 *
 * <p>Reference solution. Items travel in {@link Envelope}s that carry their sequence number. A stage whose function
 * throws sends the error route the failure and the next stage a <em>hole</em> (an envelope without an item) in the
 * item's place, so the reorder buffer can step over it; holes pass through later stages untouched. End of stream is
 * one {@code END} marker per worker of the next stage: the reader puts {@code p₁} of them after its last item, and the
 * last worker of each stage to see its own {@code END} (an {@link AtomicInteger} counting down the stage's live
 * workers) puts {@code p₂} for the next stage, and so on; the sink thread ends on its one {@code END}. Because a
 * worker only passes the markers on after its own last item, every item is ahead of them in every queue.
 *
 * <p>The reorder buffer is a map from sequence number to envelope, drained from {@code next} upwards. On its own it
 * is unbounded: a slow item 6 lets items 7, 8, 9, ... pile up behind it. Blocking its input when it is full would
 * deadlock (item 6 may be stuck behind a full queue that only the blocked sink thread drains), so ordered mode bounds
 * it at the other end, like s3e03: the reader takes a permit from a {@link Semaphore} of
 * {@code capacity × (stages + 1) + Σ parallelism + 2} before each item, and the sink thread gives it back when that
 * sequence number leaves the buffer. Item 6 holds its permit, so it can always go on, and the buffer never holds more
 * than the in-flight bound.
 *
 * <p>Other ways: Java streams have no stages with their own parallelism. Libraries do: Reactor's
 * {@code flatMapSequential} and Akka/Pekko Streams' {@code mapAsync(n)} are ordered parallel stages with the same
 * reorder buffer inside, {@code mapAsyncUnordered} the unordered kind. A pipeline of {@code CompletableFuture}s per
 * item keeps order for free (collect the futures in source order) but has no per-stage bound.
 */
public final class PipelineRun implements AutoCloseable {
    /** End of stream, one per consumer of a queue; compared with ==. */
    private static final Object END = new Object();

    /** An item on its way, with its sequence number; {@code hole} stands for an item that failed upstream. */
    private record Envelope(long seq, Object item, boolean hole) {
    }

    /** One stage's counters, updated by its workers. */
    private static final class Counters {
        final LongAdder in = new LongAdder();
        final LongAdder out = new LongAdder();
        final LongAdder errors = new LongAdder();
        final LongAdder busyNanos = new LongAdder();
    }

    private final Iterator<?> source;
    private final List<StageSpec> stages;
    private final Consumer<Object> sink;
    private final Settings settings;
    /** queues.get(i) feeds stage i; the last one feeds the sink thread. */
    private final List<BlockingQueue<Object>> queues = new ArrayList<>();
    private final List<Counters> counters = new ArrayList<>();
    /** Live workers per stage; the last one to end passes END on. */
    private final List<AtomicInteger> liveWorkers = new ArrayList<>();
    /** Ordered mode only: bounds the items between the reader and the end of the reorder buffer. */
    private final Semaphore window;
    private final List<Thread> threads = new ArrayList<>();
    private final LongAdder accepted = new LongAdder();
    private final LongAdder delivered = new LongAdder();
    private final LongAdder failed = new LongAdder();
    private volatile boolean stopping;

    private PipelineRun(Iterator<?> source, List<StageSpec> stages, Consumer<Object> sink, Settings settings) {
        this.source = Objects.requireNonNull(source, "source");
        this.stages = List.copyOf(stages);
        this.sink = Objects.requireNonNull(sink, "sink");
        this.settings = Objects.requireNonNull(settings, "settings");
        int workers = 0;
        for (StageSpec stage : this.stages) {
            queues.add(new ArrayBlockingQueue<>(settings.capacity()));
            counters.add(new Counters());
            liveWorkers.add(new AtomicInteger(stage.parallelism()));
            workers += stage.parallelism();
        }
        queues.add(new ArrayBlockingQueue<>(settings.capacity()));
        window = settings.ordered() ? new Semaphore(settings.capacity() * (this.stages.size() + 1) + workers + 2)
                : null;
    }

    /** Starts the threads of a pipeline that reads {@code source}, applies {@code stages} and ends in {@code sink}. */
    public static PipelineRun start(Iterator<?> source, List<StageSpec> stages, Consumer<Object> sink,
            Settings settings) {
        PipelineRun run = new PipelineRun(source, stages, sink, settings);
        run.threads.add(settings.threads().newThread(run::read));
        for (int s = 0; s < run.stages.size(); s++) {
            int stage = s;
            for (int w = 0; w < run.stages.get(s).parallelism(); w++) {
                run.threads.add(settings.threads().newThread(() -> run.work(stage)));
            }
        }
        run.threads.add(settings.threads().newThread(run::deliver));
        run.threads.forEach(Thread::start);
        return run;
    }

    /** Stops reading the source; every item already read still goes through. Returns at once. */
    public void shutdown() {
        stopping = true;
    }

    /**
     * Waits until every thread of the pipeline has ended and returns the final report.
     *
     * @throws InterruptedException if the calling thread is interrupted while it waits
     */
    public Report await() throws InterruptedException {
        for (Thread thread : threads) {
            thread.join();
        }
        List<StageMetrics> metrics = new ArrayList<>();
        for (int s = 0; s < stages.size(); s++) {
            Counters c = counters.get(s);
            metrics.add(new StageMetrics(stages.get(s).name(), c.in.sum(), c.out.sum(), c.errors.sum(),
                    c.busyNanos.sum()));
        }
        return new Report(accepted.sum(), delivered.sum(), failed.sum(), metrics);
    }

    /** Shuts the pipeline down and waits for it: no thread is left when this returns. */
    @Override
    public void close() throws InterruptedException {
        shutdown();
        await();
    }

    /** The reader: numbers the source's items and feeds the first queue, until shutdown or the end. */
    private void read() {
        long seq = 0;
        try {
            while (!stopping && source.hasNext()) {
                if (window != null) {
                    window.acquire();
                }
                Object item = source.next();
                accepted.increment();
                queues.getFirst().put(new Envelope(seq++, item, false));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt(); // nobody interrupts the pipeline's threads; end the stream
        } catch (RuntimeException sourceFailure) {
            route("source", null, sourceFailure);
        } finally {
            passEnd(0);
        }
    }

    /** A worker of stage {@code s}: applies its function to each item, routes failures, passes END on last. */
    private void work(int s) {
        StageSpec stage = stages.get(s);
        Counters count = counters.get(s);
        BlockingQueue<Object> in = queues.get(s);
        BlockingQueue<Object> out = queues.get(s + 1);
        try {
            for (Object next = in.take(); next != END; next = in.take()) {
                Envelope envelope = (Envelope) next;
                if (envelope.hole()) {
                    out.put(envelope);
                    continue;
                }
                count.in.increment();
                long start = System.nanoTime();
                Object result;
                try {
                    result = Objects.requireNonNull(stage.fn().apply(envelope.item()), "the stage returned null");
                } catch (Throwable failure) {
                    count.busyNanos.add(System.nanoTime() - start);
                    count.errors.increment();
                    route(stage.name(), envelope.item(), failure);
                    out.put(new Envelope(envelope.seq(), null, true));
                    continue;
                }
                count.busyNanos.add(System.nanoTime() - start);
                count.out.increment();
                out.put(new Envelope(envelope.seq(), result, false));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            if (liveWorkers.get(s).decrementAndGet() == 0) {
                passEnd(s + 1);
            }
        }
    }

    /** The sink thread: delivers items (in order, through the reorder buffer, if asked) until END. */
    private void deliver() {
        BlockingQueue<Object> in = queues.getLast();
        Map<Long, Envelope> early = new HashMap<>(); // the reorder buffer; only this thread touches it
        long next = 0;
        try {
            for (Object taken = in.take(); taken != END; taken = in.take()) {
                Envelope envelope = (Envelope) taken;
                if (window == null) {
                    emit(envelope);
                    continue;
                }
                early.put(envelope.seq(), envelope);
                for (Envelope due = early.remove(next); due != null; due = early.remove(next)) {
                    emit(due);
                    next++;
                    window.release();
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void emit(Envelope envelope) {
        if (envelope.hole()) {
            return; // already counted and routed by the stage that failed
        }
        try {
            sink.accept(envelope.item());
            delivered.increment();
        } catch (Throwable failure) {
            route("sink", envelope.item(), failure);
        }
    }

    private void route(String stage, Object item, Throwable failure) {
        if (!stage.equals("source")) {
            failed.increment(); // an item that was accepted and will not reach the sink
        }
        try {
            settings.errors().accept(new StageFailure(stage, item, failure));
        } catch (RuntimeException ignored) {
            // the error route's own failure must not take a worker down with it
        }
    }

    /** One END for every consumer of queue {@code q}: the workers of stage q, or the sink thread. */
    private void passEnd(int q) {
        int consumers = q < stages.size() ? stages.get(q).parallelism() : 1;
        boolean interrupted = false;
        for (int i = 0; i < consumers; i++) {
            while (true) {
                try {
                    queues.get(q).put(END);
                    break;
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}
