package parlab.stage3.pipeline;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.stream.IntStream;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * s3e08 · How many workers should a stage get?
 *
 * <p>{@value #ITEMS} items go through three stages: a cheap "parse", an expensive "hash" (a few thousand
 * multiply-adds per item, the bottleneck), and a cheap "format". Only the bottleneck's parallelism changes: 1, 2 or
 * 4 workers. {@code ./lab bench pipeline} prints the time per run and the speedup over one worker.
 *
 * <p>What to expect on 2 cores: 2 workers on the bottleneck come close to 2x, since the other stages are nearly
 * free; 4 workers do not help, they only take turns on the same 2 cores (and the reader, the cheap stages and the
 * sink thread want a little CPU too). The lesson generalises: give workers to the slowest stage, up to the cores
 * (for CPU work) or to the waiting it hides (for I/O); a stage that is not the bottleneck gains nothing from more.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class PipelineBenchmark {
    static final int ITEMS = 20_000;

    @Param({"1", "2", "4"})
    public int parallelism;

    static long hash(long x) {
        long h = x;
        for (int i = 0; i < 4_000; i++) {
            h = h * 0x9E3779B97F4A7C15L + i;
        }
        return h;
    }

    @Benchmark
    public long run() throws InterruptedException {
        LongAdder sum = new LongAdder();
        try (PipelineRun run = Pipeline.from(IntStream.range(0, ITEMS).iterator())
                .stage("parse", 1, (Integer x) -> (long) x)
                .stage("hash", parallelism, PipelineBenchmark::hash)
                .stage("format", 1, (Long h) -> h ^ (h >>> 32))
                .capacity(64)
                .to(sum::add)) {
            return run.await().delivered() + sum.sum();
        }
    }
}
