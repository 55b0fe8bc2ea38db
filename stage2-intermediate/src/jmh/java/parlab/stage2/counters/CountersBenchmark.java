package parlab.stage2.counters;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * s2e01 · What does contention cost each kind of counter?
 *
 * <p>One operation = {@value #TOTAL} increments of one shared counter, split evenly over 1, 2 or 4 threads of a
 * pool kept for the whole trial and started together; the score is the time for all of them. Four counters: the
 * {@code synchronized} one (the baseline), {@code AtomicLong}, your {@link StripedCounter} ({@value #STRIPES}
 * padded cells) and the JDK's {@link LongAdder}. {@code ./lab bench lost-updates} prints each time and the speedup
 * over the synchronized counter at the same thread count.
 *
 * <p>What to expect on 2 cores: with 1 thread, all are a few ns per increment and the lock is barely slower (an
 * uncontended lock is cheap). With 2 threads, the synchronized and atomic counters get <em>slower</em> than with
 * one, although twice the cores work: every increment moves the counter's cache line from one core to the other,
 * and the lock adds parking on top. The striped counter and {@code LongAdder} keep each thread on its own line and
 * run near twice as fast as with one thread: several times the synchronized counter. With 4 threads on 2 cores
 * threads take turns; the lock also pays for waking waiters.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 4, time = 1)
@Fork(1)
public class CountersBenchmark {
    private static final int TOTAL = 1 << 20;
    private static final int STRIPES = 8;

    @Param({"1", "2", "4"})
    public int threads;

    private ExecutorService pool;

    @Setup(Level.Trial)
    public void startPool() {
        pool = Executors.newFixedThreadPool(threads);
    }

    @TearDown(Level.Trial)
    public void stopPool() {
        pool.close();
    }

    @Benchmark
    public long synchronizedCounter() throws Exception {
        return hammer(new SynchronizedCounter());
    }

    @Benchmark
    public long atomicLong() throws Exception {
        return hammer(new AtomicCounter());
    }

    @Benchmark
    public long stripedCounter() throws Exception {
        return hammer(new StripedCounter(STRIPES));
    }

    @Benchmark
    public long longAdder() throws Exception {
        LongAdder adder = new LongAdder();
        return hammer(new Counter() {
            @Override
            public void increment() {
                adder.increment();
            }

            @Override
            public long get() {
                return adder.sum();
            }
        });
    }

    /** {@value #TOTAL} increments shared out over the pool's threads; returns the final count. */
    private long hammer(Counter counter) throws InterruptedException, ExecutionException {
        int each = TOTAL / threads;
        List<Future<?>> done = new ArrayList<>(threads);
        for (int t = 0; t < threads; t++) {
            done.add(pool.submit(() -> {
                for (int i = 0; i < each; i++) {
                    counter.increment();
                }
            }));
        }
        for (Future<?> f : done) {
            f.get();
        }
        return counter.get();
    }
}
