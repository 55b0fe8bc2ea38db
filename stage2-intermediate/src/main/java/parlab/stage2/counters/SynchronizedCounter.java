package parlab.stage2.counters;

/** A counter whose read-modify-write happens under one lock. */
public final class SynchronizedCounter implements Counter {

    @Override
    public void increment() {
        // TODO: add one, so that no other thread can read or write the count in between
        throw new UnsupportedOperationException("TODO: SynchronizedCounter.increment");
    }

    @Override
    public long get() {
        // TODO: read the count under the same lock the writers use
        throw new UnsupportedOperationException("TODO: SynchronizedCounter.get");
    }
}
