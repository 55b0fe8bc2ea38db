package parlab.stage2.counters;

import java.util.concurrent.atomic.AtomicLong;

/**
 * A counter with no lock: one atomic variable.
 *
 * <p>Reference solution. {@link AtomicLong#incrementAndGet()} is one {@code lock xadd} on x86 (a CAS loop
 * elsewhere): the read, the add and the write are a single indivisible step, and its reads and writes have
 * volatile semantics, so {@link #get()} needs nothing more. No thread ever waits for another, but under contention
 * every increment still pulls the one cache line holding the value to its own core.
 */
public final class AtomicCounter implements Counter {
    private final AtomicLong count = new AtomicLong();

    @Override
    public void increment() {
        count.incrementAndGet();
    }

    @Override
    public long get() {
        return count.get();
    }
}
