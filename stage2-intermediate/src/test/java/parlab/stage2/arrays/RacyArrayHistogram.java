package parlab.stage2.arrays;

/** Known broken, the checker's canary: {@code counts[b]++} on a plain {@code long[]} is a read and then a write. */
final class RacyArrayHistogram {
    private final long[] counts;

    RacyArrayHistogram(int buckets) {
        counts = new long[buckets];
    }

    void record(int bucket) {
        counts[bucket]++;
    }

    long count(int bucket) {
        return counts[bucket];
    }
}
