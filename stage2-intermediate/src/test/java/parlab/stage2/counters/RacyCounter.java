package parlab.stage2.counters;

/** Known broken, the checker's canary: {@code count++} on a volatile field is still a read and then a write. */
final class RacyCounter implements Counter {
    private volatile long count;

    @Override
    @SuppressWarnings("NonAtomicOperationOnVolatileField")
    public void increment() {
        count++;
    }

    @Override
    public long get() {
        return count;
    }
}
