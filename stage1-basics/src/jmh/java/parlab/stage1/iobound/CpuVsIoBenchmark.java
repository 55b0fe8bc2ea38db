package parlab.stage1.iobound;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
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
 * s1e08 · Platform threads against virtual threads for blocking I/O.
 *
 * <p>1,000 tasks that each block for 10 ms ({@code Thread.sleep} stands for a network round trip), run three ways:
 * <ul>
 *   <li>{@code platform-pool}: a fixed pool of 200 platform threads, made once and reused (a classic servlet
 *       container's default size): 1,000 / 200 = 5 rounds of 10 ms, so about 50 ms. This is the baseline;
 *   <li>{@code platform-per-task}: a new platform thread for every task: all of them wait at once, but each costs
 *       a real OS thread (tens of microseconds to start, a stack reserved);
 *   <li>{@code virtual-per-task}: a new virtual thread for every task: all wait at once, for a fraction of the
 *       cost; a sleeping virtual thread holds no OS thread.
 * </ul>
 * {@code ./lab bench cpu-vs-io} prints each time and its speedup over {@code platform-pool}. On 2 cores expect
 * roughly 3–5x for virtual threads (about 10 ms plus a little), while a platform thread per task can end up
 * slower than the pool: creating 1,000 OS threads may cost more than waiting five rounds, the more so on a busy
 * machine. The pool of 2 CPU threads from
 * {@link CpuVsIo#newCpuPool} would need 500 rounds, 5 s, for the same work: sizing by cores is for CPU-bound work
 * only.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class CpuVsIoBenchmark {
    private static final int TASKS = 1_000;
    private static final long BLOCK_MILLIS = 10;
    private static final int POOL_THREADS = 200;

    @Param({"platform-pool", "platform-per-task", "virtual-per-task"})
    public String kind;

    private ExecutorService sharedPool;

    @Setup
    public void startPool() {
        if (kind.equals("platform-pool")) {
            sharedPool = Executors.newFixedThreadPool(POOL_THREADS);
        }
    }

    @TearDown
    public void stopPool() {
        if (sharedPool != null) {
            sharedPool.close();
        }
    }

    @Benchmark
    public int blockingTasks() throws Exception {
        return switch (kind) {
            case "platform-pool" -> runAll(sharedPool);
            case "platform-per-task" -> {
                try (ExecutorService perTask = Executors.newThreadPerTaskExecutor(Thread.ofPlatform().factory())) {
                    yield runAll(perTask);
                }
            }
            case "virtual-per-task" -> {
                try (ExecutorService perTask = Executors.newVirtualThreadPerTaskExecutor()) {
                    yield runAll(perTask);
                }
            }
            default -> throw new IllegalArgumentException("unknown kind " + kind);
        };
    }

    /** Submits every task, then waits for each: the time of one batch of 1,000 blocking calls. */
    private static int runAll(ExecutorService executor) throws Exception {
        Future<?>[] done = new Future<?>[TASKS];
        for (int i = 0; i < TASKS; i++) {
            done[i] = executor.submit(() -> {
                Thread.sleep(BLOCK_MILLIS);
                return null;
            });
        }
        for (Future<?> task : done) {
            task.get();
        }
        return done.length;
    }
}
