package parlab.stage2.arrays;

import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Counts per bucket {@code 0 .. buckets - 1}, updated by any number of threads at once without a lock.
 *
 * <p>Reference solution. One {@link AtomicLongArray}: {@code getAndIncrement(bucket)} is a single atomic
 * read-modify-write on that element, so two threads counting into the same bucket both count; threads counting into
 * different buckets never wait for each other (though buckets in the same cache line still bounce between cores).
 * {@link #counts()} reads the buckets one by one: each value is exact, but the array as a whole is not a snapshot
 * while records go on (s2e01's histogram pays a lock for that); after the recording threads are joined, it is.
 */
public final class AtomicHistogram {
    private final AtomicLongArray counts;

    /** A histogram with {@code buckets} buckets, all zero; {@code buckets < 1} is an {@link IllegalArgumentException}. */
    public AtomicHistogram(int buckets) {
        if (buckets < 1) {
            throw new IllegalArgumentException("buckets must be at least 1, was " + buckets);
        }
        this.counts = new AtomicLongArray(buckets);
    }

    /** Adds one to {@code bucket}; a bucket outside {@code [0, buckets)} is an {@link IndexOutOfBoundsException}. */
    public void record(int bucket) {
        counts.getAndIncrement(bucket); // AtomicLongArray checks the index
    }

    /** The count of {@code bucket}. */
    public long count(int bucket) {
        return counts.get(bucket);
    }

    /** Every bucket's count, in bucket order (a copy; each bucket read once, not all at one instant). */
    public long[] counts() {
        long[] copy = new long[counts.length()];
        for (int b = 0; b < copy.length; b++) {
            copy[b] = counts.get(b);
        }
        return copy;
    }
}
