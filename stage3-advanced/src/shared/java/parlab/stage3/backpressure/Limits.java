package parlab.stage3.backpressure;

/**
 * How much a {@link BoundedPipeline} may hold at once, and how many workers drain it.
 *
 * @param maxItems at most this many items are in flight (taken from the source, not yet through the sink)
 * @param maxBytes and at most this many bytes, as the pipeline's weigher counts them
 * @param workers  the number of threads that hand items to the sink
 */
public record Limits(int maxItems, long maxBytes, int workers) {
    public Limits {
        if (maxItems < 1) {
            throw new IllegalArgumentException("maxItems must be at least 1, was " + maxItems);
        }
        if (maxBytes < 1) {
            throw new IllegalArgumentException("maxBytes must be at least 1, was " + maxBytes);
        }
        if (workers < 1) {
            throw new IllegalArgumentException("workers must be at least 1, was " + workers);
        }
    }

    /** No backpressure at all: the producer may run as far ahead of the workers as memory lets it. */
    public static Limits unbounded(int workers) {
        return new Limits(Integer.MAX_VALUE, Long.MAX_VALUE, workers);
    }
}
