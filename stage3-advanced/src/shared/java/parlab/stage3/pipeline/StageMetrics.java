package parlab.stage3.pipeline;

/**
 * One stage's counters: items its workers took in, items they passed on, items whose function threw, and the time
 * its workers spent inside the function, added up over all of them (so it can exceed the wall-clock time).
 * {@code itemsIn == itemsOut + errors} once the pipeline has ended.
 */
public record StageMetrics(String name, long itemsIn, long itemsOut, long errors, long busyNanos) {
}
