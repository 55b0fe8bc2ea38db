package parlab.stage2.pools;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * s2e06 · What does it cost to make the expensive resource in every task?
 *
 * <p>200 small tasks on 2 worker threads, each needing a resource that takes about 1 ms to create (think of opening
 * a connection: the thread waits, the CPU does little). {@code perTask} creates one in every task on a plain fixed
 * pool; {@code perWorker} runs the same tasks on a {@link StatefulPool}, which creates one per worker. Each
 * operation includes starting and closing the pool. {@code ./lab bench stateful-pools} prints both times and the
 * speedup over {@code perTask}: expect 100 to 150 ms for {@code perTask} (200 x 1 ms over 2 threads, plus the
 * park's overshoot) and about 5 ms for {@code perWorker}, some 20 to 30 times faster on 2 cores. The gap grows with
 * the number of tasks; it shrinks only when a task's own work dwarfs the set-up.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class StatefulPoolBenchmark {
    private static final int TASKS = 200;
    private static final int WORKERS = 2;

    /** A stand-in for a connection: about 1 ms to open, cheap to use. */
    static final class ExpensiveResource implements AutoCloseable {
        private final long seed;

        ExpensiveResource() {
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
            seed = System.nanoTime();
        }

        long work(long value) {
            long x = value ^ seed;
            for (int i = 0; i < 100; i++) {
                x = x * 6364136223846793005L + 1442695040888963407L;
            }
            return x;
        }

        @Override
        public void close() {
        }
    }

    @Benchmark
    public long perTask() throws InterruptedException, ExecutionException {
        List<Future<Long>> results = new ArrayList<>(TASKS);
        try (var pool = Executors.newFixedThreadPool(WORKERS)) {
            for (int i = 0; i < TASKS; i++) {
                long value = i;
                results.add(pool.submit(() -> {
                    try (var resource = new ExpensiveResource()) {
                        return resource.work(value);
                    }
                }));
            }
            return sum(results);
        }
    }

    @Benchmark
    public long perWorker() throws InterruptedException, ExecutionException {
        List<Future<Long>> results = new ArrayList<>(TASKS);
        try (var pool = new StatefulPool<>(WORKERS, Thread.ofPlatform().factory(), ExpensiveResource::new)) {
            for (int i = 0; i < TASKS; i++) {
                long value = i;
                results.add(pool.submit(resource -> resource.work(value)));
            }
            return sum(results);
        }
    }

    private static long sum(List<Future<Long>> results) throws InterruptedException, ExecutionException {
        long sum = 0;
        for (Future<Long> result : results) {
            sum += result.get();
        }
        return sum;
    }
}
