package parlab.stage1.map;

import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
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
import org.openjdk.jmh.annotations.Warmup;

/**
 * s1e02 · What does one task cost, and how much does chunking save?
 *
 * <p>Maps a function that costs a few nanoseconds (an integer hash) over 200,000 items with one worker per core,
 * in chunks of 1, 10, 100 and 1000 items per task. {@code ./lab bench parallel-map} prints each time and the ratio
 * against {@code chunkSize=1}. With one item per task, every item pays for a {@code Future}, a trip through the
 * pool's queue and the completion queue, and often a thread wake-up: microseconds of overhead for nanoseconds of
 * work. On 2 cores expect chunks of 100 to be one to two orders of magnitude faster than chunks of 1, and chunks
 * of 1000 to gain little more: once the per-task cost is spread thin, the function and the boxing are what is left.
 * (Chunks far larger than {@code items / workers} would lose again: too few tasks to keep every core busy.)
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class ParallelMapBenchmark {
    private static final int ITEMS = 200_000;

    @Param({"1", "10", "100", "1000"})
    public int chunkSize;

    private List<Integer> items;
    private int workers;

    @Setup
    public void setUp() {
        items = IntStream.range(0, ITEMS).boxed().toList();
        workers = Runtime.getRuntime().availableProcessors();
    }

    @Benchmark
    public List<Integer> map() throws InterruptedException {
        return ParallelMap.map(items, ParallelMapBenchmark::hash, workers, chunkSize, Thread.ofPlatform().factory());
    }

    /** A cheap function: a few nanoseconds, so that the cost of a task is what the benchmark sees. */
    static Integer hash(Integer x) {
        int h = x * 0x9E3779B9;
        return h ^ (h >>> 16);
    }
}
