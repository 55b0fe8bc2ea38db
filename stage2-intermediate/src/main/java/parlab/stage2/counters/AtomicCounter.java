package parlab.stage2.counters;

/** A counter with no lock: one atomic variable. */
public final class AtomicCounter implements Counter {

    @Override
    public void increment() {
        // TODO: add one in a single atomic step (java.util.concurrent.atomic)
        throw new UnsupportedOperationException("TODO: AtomicCounter.increment");
    }

    @Override
    public long get() {
        // TODO: read the atomic variable
        throw new UnsupportedOperationException("TODO: AtomicCounter.get");
    }
}
