package parlab.stage2.profiling;

import java.util.Collections;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * s2e11, part 2 · The fix: a hit counter that threads do not queue for.
 *
 * <p>Reference solution. Two structures, each made for one half of a hit. Finding a key's count is a
 * {@link ConcurrentHashMap} lookup: {@code get} takes no lock at all, and the key is hashed before the map touches
 * any of its own locks, so a slow {@code hashCode()} holds up only its own thread. Creating the count happens once
 * per key, through {@code computeIfAbsent}, which guarantees a single winner when two threads see a new key at the
 * same moment (a {@code putIfAbsent} race would do too). Adding one is a {@link LongAdder}: under contention it
 * spreads the additions over several cells, one cache line each, so threads adding to the same popular key do not
 * fight over one memory location; {@link LongAdder#sum()} adds the cells up when somebody reads.
 *
 * <p>Trying {@code get} before {@code computeIfAbsent} is deliberate: for a key that is not the first in its hash
 * bin, {@code computeIfAbsent} locks the bin even when the key is already there, and the hot path should not.
 *
 * <p>{@link #snapshot} is weakly consistent while hits go on (each count is read at some moment during the copy;
 * the counts are not one instant's picture), and exact once they are over.
 *
 * <p>Other ways: {@code ConcurrentHashMap.merge(key, 1L, Long::sum)} is one line and correct, but locks the key's
 * bin for every hit, so threads hitting the same popular key still wait (JFR names
 * {@code ConcurrentHashMap$Node}). A {@code ConcurrentHashMap<K, AtomicLong>} is lock-free too, and cheaper to
 * read, but all threads adding to one key hit one cache line. Lock striping (N maps, each with its own lock, the
 * stripe chosen by the key's hash) is what {@code ConcurrentHashMap} itself did before Java 8: it divides the
 * contention by about N, but still makes threads wait, which the profile shows.
 *
 * @param <K> the key
 */
public final class ConcurrentHitCounter<K> implements HitCounter<K> {
    private final ConcurrentHashMap<K, LongAdder> counts = new ConcurrentHashMap<>();

    @Override
    public void hit(K key) {
        Objects.requireNonNull(key, "key");
        LongAdder count = counts.get(key);
        if (count == null) {
            count = counts.computeIfAbsent(key, k -> new LongAdder());
        }
        count.increment();
    }

    @Override
    public long hits(K key) {
        LongAdder count = counts.get(Objects.requireNonNull(key, "key"));
        return count == null ? 0 : count.sum();
    }

    @Override
    public Map<K, Long> snapshot() {
        Map<K, Long> copy = new HashMap<>();
        counts.forEach((key, count) -> copy.put(key, count.sum()));
        return Collections.unmodifiableMap(copy);
    }
}
