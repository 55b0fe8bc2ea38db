package parlab.stage2.counters;

import java.util.Collections;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Known broken, the checker's canary: a concurrent map, used check-then-act. Two threads can both read the same old
 * count and both write it back plus one; and the snapshot iterates the map while records go on.
 */
final class RacyHistogram {
    private final long bucketWidth;
    private final ConcurrentHashMap<Long, Long> counts = new ConcurrentHashMap<>();

    RacyHistogram(long bucketWidth) {
        this.bucketWidth = bucketWidth;
    }

    void record(long value) {
        Long bucket = Math.floorDiv(value, bucketWidth) * bucketWidth;
        Long old = counts.get(bucket);
        counts.put(bucket, old == null ? 1 : old + 1);
    }

    SortedMap<Long, Long> snapshot() {
        return Collections.unmodifiableSortedMap(new TreeMap<>(counts));
    }
}
