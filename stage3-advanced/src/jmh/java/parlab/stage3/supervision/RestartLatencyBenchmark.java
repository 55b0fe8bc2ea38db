package parlab.stage3.supervision;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.IterationParams;
import org.openjdk.jmh.runner.IterationType;

/**
 * s3e07 · How long does a task wait when its worker is killed under it?
 *
 * <p>One supervised worker JVM. {@code plainTask} (the baseline) runs a task on the warm worker: a round trip
 * through two pipes. {@code killedMidTask} runs a task whose worker is killed with {@code kill -9} the moment it
 * says {@code started}: the supervisor must notice the exit, start a new JVM and run the task again. The
 * difference is the restart latency; its median (kill to result, measured separately) is printed at the end, and
 * the target is under 1 second. Single-shot: every kill is one sample, nothing is averaged away.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3)
@Measurement(iterations = 15)
@Fork(1)
public class RestartLatencyBenchmark {
    private final AtomicLong killedAt = new AtomicLong();
    private final List<Long> latencies = new ArrayList<>();
    private Supervisor supervisor;
    private int next;
    private boolean measuring;

    @Setup(Level.Trial)
    public void startWorker() {
        WorkerLauncher killer = (slot, inbox, clock) -> WorkerProcess.start(slot, inbox, clock, event -> {
            if (event instanceof WorkerEvent.Started s && s.taskId().startsWith("kill") && s.attempt() == 1) {
                killedAt.set(System.nanoTime());
                ProcessHandle.of(s.worker().pid()).ifPresent(ProcessHandle::destroyForcibly);
            }
        });
        SupervisorConfig config = SupervisorConfig.defaults(1).withRestartIntensity(1_000_000, Duration.ofSeconds(1))
                .withMaxCrashesPerTask(2);
        supervisor = new Supervisor(config, killer, Clock.SYSTEM);
    }

    @Setup(Level.Iteration)
    public void phase(IterationParams iteration) {
        measuring = iteration.getType() == IterationType.MEASUREMENT; // warm-up kills are not counted
    }

    @Benchmark
    public Report plainTask() throws InterruptedException {
        return supervisor.run(List.of(new Task("plain" + next++, "7")));
    }

    @Benchmark
    public Report killedMidTask() throws InterruptedException {
        Report report = supervisor.run(List.of(new Task("kill" + next++, "stall-first:7")));
        if (measuring) {
            latencies.add(System.nanoTime() - killedAt.get());
        }
        if (report.results().size() != 1) {
            throw new IllegalStateException("the killed task did not come back: " + report);
        }
        return report;
    }

    @TearDown(Level.Trial)
    public void stopWorker() {
        supervisor.close();
        if (!latencies.isEmpty()) {
            List<Long> sorted = latencies.stream().sorted().toList();
            System.out.printf(Locale.ROOT, "%nrestart latency, kill -9 to result: median %.0f ms, min %.0f ms, "
                    + "max %.0f ms over %d kills (target: median under 1000 ms)%n",
                    sorted.get(sorted.size() / 2) / 1e6, sorted.getFirst() / 1e6, sorted.getLast() / 1e6,
                    sorted.size());
        }
    }
}
