package parlab.stage2.counters;

/**
 * s2e01 · Lost updates.
 *
 * <p>{@code count++} looks like one step but is three: read the field, add one, write it back. Two threads that
 * both read 41 both write 42, and one increment is gone without a trace: a <em>lost update</em>. {@code volatile}
 * does not help (it makes the read and the write visible, not the pair atomic). This exercise builds the three
 * classic answers behind this one interface, and a histogram, which is the same problem with more than one number.
 *
 * <ul>
 *   <li>{@link SynchronizedCounter}: one lock around the read-modify-write;
 *   <li>{@link AtomicCounter}: one {@code AtomicLong}, whose increment is a single atomic instruction (or a CAS loop);
 *   <li>{@link StripedCounter}: an array of cells, each thread adds to "its" cell and {@link #get()} adds up the
 *       cells, so threads stop fighting over one memory location (the idea behind
 *       {@code java.util.concurrent.atomic.LongAdder}, which you must not use here: build it);
 *   <li>{@link Histogram}: counts per bucket, with a {@link Histogram#snapshot()} that is consistent.
 * </ul>
 *
 * <p>The contract, which the tests pin down:
 * <ul>
 *   <li>no increment is ever lost, whatever the interleaving: the tests run every implementation under Lincheck's
 *       model checker, which tries thread interleavings one by one, so a racy answer fails every time, not by luck;
 *       a stress test (many threads, one starting gate, an exact total) is the second line;
 *   <li>{@link #get()} returns a value the counter really had at some instant during the call (for a counter that
 *       only grows, a sum read cell by cell qualifies: think about why);
 *   <li>{@code new StripedCounter(stripes)} rejects {@code stripes < 1}; one thread always uses the same cell, several
 *       threads spread over several cells, and {@link StripedCounter#cells()} shows the count in each cell; with a
 *       single stripe every thread shares one cell, and it must still lose nothing;
 *   <li>{@code new Histogram(bucketWidth)} rejects a width below 1; {@code record(v)} counts {@code v} in the bucket
 *       starting at {@code floorDiv(v, width) * width}; {@code snapshot()} returns an unmodifiable copy, keyed by
 *       bucket start, of the non-empty buckets, <em>as they were at one instant</em>: a thread that recorded
 *       {@code a} and then {@code b} is never seen with {@code b} counted but {@code a} not.
 * </ul>
 *
 * <p>Baseline experiment: {@code ./lab bench lost-updates} runs 1, 2 and 4 threads hammering one counter, for the
 * synchronized counter (the baseline), the atomic one, your striped one and the JDK's {@code LongAdder}. On one
 * thread the lock is cheap (no one else wants it); add threads and watch the shared cache line become the cost.
 *
 * <p>Things to think about: why does a racy counter often pass a quick test on your laptop? Why are the cells of a
 * striped counter spaced apart in memory, not adjacent? Why is a histogram whose every bucket is an
 * {@code AtomicLong} still not enough for a consistent snapshot?
 */
public interface Counter {
    /** Adds one. Safe to call from any number of threads at once. */
    void increment();

    /** The current count. */
    long get();
}
