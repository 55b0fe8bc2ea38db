package parlab.stage2.arrays;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * One counter per thread in one shared {@code long[]}: slot {@code t} is written only by thread {@code t}, so a plain
 * read-add-write is safe, and it is read by others only after that thread has been joined. Slots are {@code spacing}
 * longs apart: {@link #UNPADDED} puts them side by side, {@link #PADDED} 128 bytes apart.
 *
 * <p>Reference solution. Slot {@code t} is at index {@code t * spacing} of a {@code long[threads * spacing]}. Each
 * slot has exactly one writer, so {@code slots[i] += delta} is not a race, and {@code join()} publishes the final
 * values to the caller. Correctness never depends on the spacing; speed does: with {@link #UNPADDED} two threads'
 * slots sit in the same cache line, and every write by one core invalidates the line in the other's cache. 16 longs
 * rather than 8 because Intel cores prefetch cache lines in pairs (128 bytes).
 *
 * <p>Other ways: keep each thread's count in a local variable and write it to the array once at the end: no
 * sharing at all, the best choice whenever the count need not be visible while the thread runs. The JDK pads hot
 * fields with {@code @jdk.internal.vm.annotation.Contended}, closed to application code unless
 * {@code -XX:-RestrictContended}; padding by spacing works everywhere but spends memory.
 */
public final class PerThreadCounters {
    /** Adjacent slots: eight of them share one 64-byte cache line. */
    public static final int UNPADDED = 1;
    /** Slots 16 longs (128 bytes) apart: never in the same cache line, nor in the same pair of lines. */
    public static final int PADDED = 16;

    private final int threads;
    private final int spacing;
    private final long[] slots; // slot t at t * spacing, written only by thread t

    /** Counters for {@code threads} threads, {@code spacing} longs apart; both must be at least 1. */
    public PerThreadCounters(int threads, int spacing) {
        if (threads < 1 || spacing < 1) {
            throw new IllegalArgumentException("threads and spacing must be at least 1, were " + threads + " and "
                    + spacing);
        }
        this.threads = threads;
        this.spacing = spacing;
        this.slots = new long[Math.multiplyExact(threads, spacing)];
    }

    /** The index in the array of thread {@code thread}'s slot. */
    public int slotIndex(int thread) {
        return Objects.checkIndex(thread, threads) * spacing;
    }

    /** Adds {@code delta} to thread {@code thread}'s slot; only thread {@code thread} may call this. */
    public void add(int thread, long delta) {
        slots[slotIndex(thread)] += delta;
    }

    /** Thread {@code thread}'s count (call it after that thread has been joined). */
    public long get(int thread) {
        return slots[slotIndex(thread)];
    }

    /** Starts one platform thread per slot; thread {@code t} calls {@code add(t, 1)} {@code perThread} times; joins all. */
    public void countInParallel(long perThread) {
        List<Thread> started = new ArrayList<>(threads);
        for (int t = 0; t < threads; t++) {
            int me = t;
            started.add(Thread.ofPlatform().name("counter-" + t).start(() -> {
                for (long i = 0; i < perThread; i++) {
                    add(me, 1);
                }
            }));
        }
        SharedArrays.joinAll(started);
    }
}
