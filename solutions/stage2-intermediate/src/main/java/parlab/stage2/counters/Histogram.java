package parlab.stage2.counters;

import java.util.Collections;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Counts of values per bucket of width {@code bucketWidth}, recorded by any number of threads; the bucket of
 * {@code v} starts at {@code floorDiv(v, bucketWidth) * bucketWidth}.
 *
 * <p>Reference solution. {@code counts} is guarded by {@code lock}. {@link #record} finds or creates the bucket and
 * adds one in a single critical section ({@code merge}), so two threads can never both see "no bucket yet" or both
 * read the same old count: check-then-act is only safe when the check and the act are one atomic step.
 * {@link #snapshot()} copies the whole map under the same lock, so no record can land between two bucket reads;
 * the copy is then handed out unmodifiable, and the caller may read it at leisure without holding anything. The
 * bucket arithmetic stays outside the lock: the critical section is one map update.
 *
 * <p>Other ways: a {@code ConcurrentHashMap<Long, LongAdder>} ({@code computeIfAbsent(b, k -> new
 * LongAdder()).increment()}) lets records run in parallel, but iterating it while records go on gives a copy that
 * never existed at any instant: fine for a metrics page, wrong for this contract. To have both, records can take
 * the <em>read</em> lock of a {@code ReentrantReadWriteLock} around that concurrent map (records exclude only
 * snapshots, not each other) and snapshots the write lock; that pays off when records are many and contended,
 * and a snapshot then waits for every record in flight.
 */
public final class Histogram {
    private final long bucketWidth;
    private final Object lock = new Object();
    private final TreeMap<Long, Long> counts = new TreeMap<>(); // guarded by lock

    /** A histogram with buckets {@code bucketWidth} wide; a width below 1 is an {@link IllegalArgumentException}. */
    public Histogram(long bucketWidth) {
        if (bucketWidth < 1) {
            throw new IllegalArgumentException("bucketWidth must be at least 1, was " + bucketWidth);
        }
        this.bucketWidth = bucketWidth;
    }

    /** Counts {@code value} once, in its bucket. */
    public void record(long value) {
        Long bucket = Math.floorDiv(value, bucketWidth) * bucketWidth;
        synchronized (lock) {
            counts.merge(bucket, 1L, Long::sum);
        }
    }

    /**
     * An unmodifiable copy of the non-empty buckets, keyed by bucket start, in ascending order, as they all were at
     * one instant.
     */
    public SortedMap<Long, Long> snapshot() {
        TreeMap<Long, Long> copy;
        synchronized (lock) {
            copy = new TreeMap<>(counts);
        }
        return Collections.unmodifiableSortedMap(copy);
    }
}
