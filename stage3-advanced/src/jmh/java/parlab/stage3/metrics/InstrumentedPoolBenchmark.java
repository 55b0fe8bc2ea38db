package parlab.stage3.metrics;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;
import org.slf4j.LoggerFactory;

/**
 * s3e05 · What does observability cost on the hot path?
 *
 * <p>The same small task (about a microsecond of arithmetic) run bare, and run through
 * {@link InstrumentedPool#run}: two MDC puts and two restores, two clock readings, a counter increment and a
 * histogram observation, both behind a label lookup, and log calls that INFO-level filtering turns away (the
 * package logs at WARN here, as a busy service would). {@code ./lab bench metrics} prints both times and the
 * ratio: the difference, in nanoseconds, is the price of each task's observability. Compare it with your tasks'
 * own duration to decide whether to measure every task or a sample.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class InstrumentedPoolBenchmark {
    private InstrumentedPool pool;
    private Task task;

    @Setup
    public void setUp() {
        ((LoggerContext) LoggerFactory.getILoggerFactory()).getLogger("parlab.stage3.metrics").setLevel(Level.WARN);
        pool = new InstrumentedPool(new PrometheusRegistry(), Clock.SYSTEM);
        task = new Task("bench", () -> Blackhole.consumeCPU(500));
    }

    @Benchmark
    public void withoutMetrics() {
        task.work().run();
    }

    @Benchmark
    public boolean withMetrics() {
        return pool.run(task);
    }
}
