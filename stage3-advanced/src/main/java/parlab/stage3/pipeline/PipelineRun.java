package parlab.stage3.pipeline;

import java.util.Iterator;
import java.util.List;
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
 */
public final class PipelineRun implements AutoCloseable {

    private PipelineRun() {
    }

    /** Starts the threads of a pipeline that reads {@code source}, applies {@code stages} and ends in {@code sink}. */
    public static PipelineRun start(Iterator<?> source, List<StageSpec> stages, Consumer<Object> sink,
            Settings settings) {
        // TODO: one bounded queue in front of each stage and one in front of the sink
        // TODO: a reader thread that numbers the items it takes from the source (until shutdown or the end)
        // TODO: parallelism workers per stage, with its counters; a failure goes to the error route, not downstream
        // TODO: a sink thread; in ordered mode it holds early items in a reorder buffer until their turn
        // TODO: end-of-stream markers, so that every thread ends once the items before them are through
        throw new UnsupportedOperationException("TODO: start");
    }

    /** Stops reading the source; every item already read still goes through. Returns at once. */
    public void shutdown() {
        // TODO: tell the reader to stop before its next item
        throw new UnsupportedOperationException("TODO: shutdown");
    }

    /**
     * Waits until every thread of the pipeline has ended and returns the final report.
     *
     * @throws InterruptedException if the calling thread is interrupted while it waits
     */
    public Report await() throws InterruptedException {
        // TODO: join every thread, then report the counts and each stage's metrics
        throw new UnsupportedOperationException("TODO: await");
    }

    /** Shuts the pipeline down and waits for it: no thread is left when this returns. */
    @Override
    public void close() throws InterruptedException {
        shutdown();
        await();
    }
}
