package parlab.stage1.processes;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
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
import org.openjdk.jmh.infra.Blackhole;

/**
 * s1e07 · What does a child JVM cost to start, and what does a round trip over its pipes cost?
 *
 * <p>The three {@code spawn} benchmarks start a child JVM running {@link ChildMain}, close its stdin at once and
 * wait for it to exit: the whole life of a process that does nothing. {@code spawnDefault} uses no JVM option
 * (the baseline of {@code ./lab bench child-processes}); {@code spawnC1Only} adds
 * {@code -XX:TieredStopAtLevel=1 -Xshare:auto} (the quick C1 compiler only; {@code -Xshare:auto}, the default,
 * maps the JDK's class-data-sharing archive when it can); {@code spawnWithoutCds} adds {@code -Xshare:off}, so
 * every JDK class the child needs is parsed and linked from scratch.
 *
 * <p>{@code roundTrips} sends 1,000 {@code echo} tasks, one after the other, to one long-lived child and reads
 * each answer back, for lines of {@code lineBytes} characters.
 *
 * <p>On 2 cores expect a start to take around a hundred milliseconds (more on a busy machine); C1 only is a
 * little quicker for a program this short (about 0.8x), and no CDS clearly slower (about 1.7x). 1,000 round trips
 * of short lines cost a fraction of one start (each is a pair of context switches, some tens of microseconds);
 * with 16 KB lines they move 32 MB and cost more than a start. The lesson: start a child once and keep it busy.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class ChildProcessBenchmark {
    private static final int LINES = 1_000;
    private static final Duration PATIENT = Duration.ofSeconds(30);

    @Benchmark
    public void spawnDefault() throws IOException {
        ChildProcess.start(List.of()).close();
    }

    @Benchmark
    public void spawnC1Only() throws IOException {
        ChildProcess.start(List.of("-XX:TieredStopAtLevel=1", "-Xshare:auto")).close();
    }

    @Benchmark
    public void spawnWithoutCds() throws IOException {
        ChildProcess.start(List.of("-Xshare:off")).close();
    }

    /** One long-lived echo child, shared by all iterations of one {@code lineBytes} value. */
    @State(Scope.Benchmark)
    public static class EchoChild {
        @Param({"16", "1024", "16384"})
        public int lineBytes;

        ChildProcess child;
        String task;

        @Setup(Level.Trial)
        public void start() throws IOException {
            child = ChildProcess.start(List.of("-Xmx64m"));
            task = "echo " + "x".repeat(lineBytes);
        }

        @TearDown(Level.Trial)
        public void stop() {
            child.close();
        }
    }

    @Benchmark
    public void roundTrips(EchoChild echo, Blackhole sink) throws InterruptedException {
        for (int i = 0; i < LINES; i++) {
            sink.consume(echo.child.ask(echo.task, PATIENT));
        }
    }
}
