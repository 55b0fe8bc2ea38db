package parlab.stage2.profiling;

import java.util.Map;

/**
 * Counts how often each key was seen: page views per page, searches per query, requests per client.
 *
 * <p>Every implementation is safe to share between threads: {@link #hit} may be called by any number of threads at
 * once, and no hit is ever lost.
 *
 * @param <K> the key; its {@code equals} and {@code hashCode} decide which hits count together
 */
public interface HitCounter<K> {

    /** Counts one hit of {@code key}; a {@code null} key is a {@link NullPointerException}. */
    void hit(K key);

    /** The hits of {@code key} so far, 0 for a key never seen. */
    long hits(K key);

    /** An unmodifiable copy of the counts of every key seen at least once. */
    Map<K, Long> snapshot();
}
