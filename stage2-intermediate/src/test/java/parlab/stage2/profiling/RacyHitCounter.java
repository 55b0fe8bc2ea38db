package parlab.stage2.profiling;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Known broken, kept for the model check's canary: every call on the {@link ConcurrentHashMap} is thread-safe, but
 * a hit is two of them ("get the count", then "put count + 1"), and two threads can both read 3 and both write 4.
 */
final class RacyHitCounter<K> implements HitCounter<K> {
    private final Map<K, Long> counts = new ConcurrentHashMap<>();

    @Override
    public void hit(K key) {
        counts.put(key, counts.getOrDefault(key, 0L) + 1);
    }

    @Override
    public long hits(K key) {
        return counts.getOrDefault(key, 0L);
    }

    @Override
    public Map<K, Long> snapshot() {
        return Map.copyOf(counts);
    }
}
