package parlab.stage2.counters;

import java.util.SortedMap;

/**
 * Counts of values per bucket of width {@code bucketWidth}, recorded by any number of threads; the bucket of
 * {@code v} starts at {@code floorDiv(v, bucketWidth) * bucketWidth}.
 */
public final class Histogram {

    /** A histogram with buckets {@code bucketWidth} wide; a width below 1 is an {@link IllegalArgumentException}. */
    public Histogram(long bucketWidth) {
        // TODO: validate and keep the width; create the (empty) counts
    }

    /** Counts {@code value} once, in its bucket. */
    public void record(long value) {
        // TODO: add one to the value's bucket, creating it if needed, without losing a concurrent record
        throw new UnsupportedOperationException("TODO: Histogram.record");
    }

    /**
     * An unmodifiable copy of the non-empty buckets, keyed by bucket start, in ascending order, as they all were at
     * one instant.
     */
    public SortedMap<Long, Long> snapshot() {
        // TODO: copy every bucket at one instant, so that no record lands between two bucket reads
        throw new UnsupportedOperationException("TODO: Histogram.snapshot");
    }
}
