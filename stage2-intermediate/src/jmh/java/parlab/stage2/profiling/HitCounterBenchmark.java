package parlab.stage2.profiling;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * s2e11 · Before and after the fix: how many hits per millisecond?
 *
 * <p>One operation = {@value #TOTAL} hits of {@value #DISTINCT} different {@link Query} keys, split evenly over 1 or
 * 4 threads of a pool kept for the whole trial, on one counter shared by all of them. Two counters: the planted
 * {@link SynchronizedHitCounter} (the baseline) and your {@link ConcurrentHitCounter}. The score is hits per
 * millisecond (higher is better); {@code ./lab bench profiling} prints each score and its ratio to the planted
 * counter at the same thread count.
 *
 * <p>What to expect on 2 otherwise idle cores: with 1 thread the two are close (an uncontended lock is cheap, and
 * both hash every key once per hit). With 4 threads the planted counter does not speed up at all, often it slows
 * down: only one thread at a time can hash a key, and the others park and are woken in turn. Your counter hashes on
 * both cores at once and should come close to 2x the planted one. That is the throughput side of what the profile
 * showed. On a machine busy with other work there are no idle cores to gain, and the two come out alike.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class HitCounterBenchmark {
    private static final int TOTAL = 1 << 16;
    private static final int DISTINCT = 256;
    private static final List<Query> QUERIES = Query.sample(DISTINCT, 2026);

    @Param({"1", "4"})
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
    @OperationsPerInvocation(TOTAL)
    public long synchronizedCounter() throws Exception {
        return hammer(new SynchronizedHitCounter<>());
    }

    @Benchmark
    @OperationsPerInvocation(TOTAL)
    public long concurrentCounter() throws Exception {
        return hammer(new ConcurrentHitCounter<>());
    }

    /** TOTAL hits, spread over the pool's threads, each thread walking the keys from its own starting point. */
    private long hammer(HitCounter<Query> counter) throws Exception {
        int perThread = TOTAL / threads;
        List<Future<?>> running = new ArrayList<>(threads);
        for (int t = 0; t < threads; t++) {
            int start = t * (DISTINCT / threads);
            running.add(pool.submit(() -> {
                for (int i = 0; i < perThread; i++) {
                    counter.hit(QUERIES.get((start + i) % DISTINCT));
                }
            }));
        }
        for (Future<?> done : running) {
            done.get();
        }
        return counter.hits(QUERIES.get(0));
    }
}
