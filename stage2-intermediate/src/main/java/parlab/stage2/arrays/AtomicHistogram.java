package parlab.stage2.arrays;

/** Counts per bucket {@code 0 .. buckets - 1}, updated by any number of threads at once without a lock. */
public final class AtomicHistogram {

    /** A histogram with {@code buckets} buckets, all zero; {@code buckets < 1} is an {@link IllegalArgumentException}. */
    public AtomicHistogram(int buckets) {
        // TODO: validate and allocate one atomic count per bucket
    }

    /** Adds one to {@code bucket}; a bucket outside {@code [0, buckets)} is an {@link IndexOutOfBoundsException}. */
    public void record(int bucket) {
        // TODO: add one to the bucket's count, atomically
        throw new UnsupportedOperationException("TODO: AtomicHistogram.record");
    }

    /** The count of {@code bucket}. */
    public long count(int bucket) {
        // TODO: read the bucket's count
        throw new UnsupportedOperationException("TODO: AtomicHistogram.count");
    }

    /** Every bucket's count, in bucket order (a copy; each bucket read once, not all at one instant). */
    public long[] counts() {
        // TODO: copy the counts into a new array
        throw new UnsupportedOperationException("TODO: AtomicHistogram.counts");
    }
}
