package parlab.stage2.profiling;

import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The planted problem: a correct counter that every thread has to queue for.
 *
 * <p>One {@link HashMap} guarded by the counter's own monitor ({@code synchronized} methods lock {@code this}).
 * Nothing is lost and nothing is torn, but every hit of every key, from every thread, goes through that one lock,
 * and so does all the work done inside it: {@link HashMap#merge} asks the key for its {@code hashCode()} and, on a
 * match, compares it with {@code equals()}, so a key that is costly to hash (such as a {@link Query}) is hashed
 * while every other thread waits. Under load, JFR records a {@code jdk.JavaMonitorEnter} event each time a thread
 * had to wait for it, with {@code monitorClass} = this class.
 *
 * @param <K> the key
 */
public final class SynchronizedHitCounter<K> implements HitCounter<K> {
    /** Guarded by {@code this}. */
    private final Map<K, Long> counts = new HashMap<>();

    @Override
    public synchronized void hit(K key) {
        counts.merge(Objects.requireNonNull(key, "key"), 1L, Long::sum);
    }

    @Override
    public synchronized long hits(K key) {
        return counts.getOrDefault(Objects.requireNonNull(key, "key"), 0L);
    }

    @Override
    public synchronized Map<K, Long> snapshot() {
        return Map.copyOf(counts);
    }
}
