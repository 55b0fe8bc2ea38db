package parlab.stage3.metrics;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.exporter.httpserver.HTTPServer;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import org.slf4j.event.Level;

/**
 * s3e05 · Metrics and logging across workers.
 *
 * <p>A pool of workers is a black box until it tells you what it does. Two ways to tell: <b>metrics</b>, numbers
 * that a monitoring system scrapes every few seconds (how many tasks, how many failed, how long they took), and
 * <b>logs</b>, lines that say what happened to one task. Both need to say <i>which worker</i>: as labels on the
 * metrics, and as MDC entries on the log lines ({@link MDC}, the logging framework's per-thread context, which
 * Logback prints with {@code %X{worker}}). A worker in another process has no MDC of ours at all: its parent must
 * read its output and log each line again under the child's name.
 *
 * <p>The contract, which the tests pin down:
 * <ul>
 *   <li>the constructor registers, in the given registry, a counter {@value #TASKS} with labels {@value #WORKER}
 *       and {@value #OUTCOME} ({@code "ok"} or {@code "failed"}) and a histogram {@value #DURATION} (seconds, the
 *       default classic buckets) with label {@value #WORKER};
 *   <li>{@link #run} runs one task on the calling thread: while it runs, and for every line logged meanwhile by
 *       anyone on that thread, the MDC holds {@value #WORKER} = the thread's name and {@value #TASK} = the task's
 *       id; it logs at least one line of its own per task (a failure at WARN, with the exception); it counts the
 *       task and observes its duration, read from the {@link Clock}, labelled with the thread's name; a task that
 *       throws counts as {@code "failed"} and makes {@code run} return false, not throw; afterwards the thread's
 *       MDC is exactly what it was before (a pool thread runs many tasks, and a caller's MDC is not ours to wipe);
 *   <li>{@link #runAll} runs every task on a pool of {@code workers} threads named {@code worker-0} to
 *       {@code worker-<workers-1>}, returns the number of failed tasks once all are done, and leaves no thread
 *       behind; {@code workers < 1} is an {@link IllegalArgumentException};
 *   <li>{@link #serve} exposes a registry in the Prometheus text format over HTTP at {@code /metrics}, on
 *       {@code 127.0.0.1} (never on every interface) and a free port;
 *   <li>{@link #relay} logs every line a child writes to its stdout, in order, on the logger {@value #CHILD_LOGGER},
 *       with the MDC {@value #WORKER} = the child's id, at the level the line starts with ({@code "WARN text"} is
 *       logged as {@code "text"} at WARN; a line without a level at INFO, whole); it returns the number of lines
 *       when the child's stdout ends.
 * </ul>
 *
 * <p>Baseline experiment: {@code ./lab bench metrics} times a small task run bare and run through {@link #run}:
 * the difference is what observability costs on the hot path (INFO lines are switched off there, as in a busy
 * production service; the MDC and the metrics are not).
 *
 * <p>Reference solution. {@code run} saves the two MDC entries it is going to overwrite and puts them back in a
 * {@code finally} block, so a task that throws cannot leave its id on the thread for the next task to inherit.
 * Prometheus counters and histograms are thread-safe and cheap to update (striped, lock-free), so every worker
 * updates the same metric objects; only the label lookup costs a map access per update.
 *
 * <p>Other ways: look the labelled data points up once per worker ({@code tasks.labelValues(worker, "ok")}
 * returns a {@code CounterDataPoint} you can keep, e.g. in a {@code ThreadLocal}) to take the map access off the hot
 * path; a {@code Summary} instead of a histogram gives quantiles per process, but they cannot be added up across
 * processes as histogram buckets can; the JDK's {@code HttpServer} with {@code PrometheusTextFormatWriter} instead
 * of the exporter's {@code HTTPServer} works the same.
 */
public final class InstrumentedPool {
    public static final String TASKS = "tasks_total";
    public static final String DURATION = "task_duration_seconds";
    /** The MDC key and the metric label naming the worker. */
    public static final String WORKER = "worker";
    /** The MDC key naming the task. */
    public static final String TASK = "task";
    public static final String OUTCOME = "outcome";
    /** The logger that child processes' lines are re-emitted on. */
    public static final String CHILD_LOGGER = "parlab.stage3.metrics.child";

    private static final Logger LOG = LoggerFactory.getLogger(InstrumentedPool.class);
    private static final Logger CHILD = LoggerFactory.getLogger(CHILD_LOGGER);
    private static final Set<String> LEVELS = Set.of("ERROR", "WARN", "INFO", "DEBUG", "TRACE");

    private final Counter tasks;
    private final Histogram duration;
    private final Clock clock;

    /** Registers this pool's metrics in {@code registry}; durations are read from {@code clock}. */
    public InstrumentedPool(PrometheusRegistry registry, Clock clock) {
        this.clock = clock;
        this.tasks = Counter.builder().name(TASKS).help("Tasks run, by worker and outcome")
                .labelNames(WORKER, OUTCOME).register(registry);
        this.duration = Histogram.builder().name(DURATION).help("How long tasks took, by worker")
                .labelNames(WORKER).classicOnly().register(registry);
    }

    /** Runs {@code task} on the calling thread, logged and measured; true if it completed, false if it threw. */
    public boolean run(Task task) {
        String worker = Thread.currentThread().getName();
        String outerWorker = MDC.get(WORKER);
        String outerTask = MDC.get(TASK);
        MDC.put(WORKER, worker);
        MDC.put(TASK, task.id());
        long start = clock.nanoTime();
        boolean ok = false;
        try {
            LOG.debug("started");
            task.work().run();
            ok = true;
        } catch (RuntimeException failure) {
            LOG.warn("failed", failure);
        } finally {
            long elapsed = clock.nanoTime() - start;
            duration.labelValues(worker).observe(elapsed / 1e9);
            tasks.labelValues(worker, ok ? "ok" : "failed").inc();
            if (ok) {
                LOG.info("done in {} µs", elapsed / 1000);
            }
            restore(WORKER, outerWorker);
            restore(TASK, outerTask);
        }
        return ok;
    }

    private static void restore(String key, String value) {
        if (value == null) {
            MDC.remove(key);
        } else {
            MDC.put(key, value);
        }
    }

    /** Runs every task on {@code workers} threads; returns how many failed. */
    public int runAll(List<Task> all, int workers) {
        if (workers < 1) {
            throw new IllegalArgumentException("workers must be at least 1, was " + workers);
        }
        AtomicInteger failed = new AtomicInteger();
        try (ExecutorService pool = Executors.newFixedThreadPool(workers, Thread.ofPlatform().name("worker-", 0).factory())) {
            for (Task task : all) {
                pool.execute(() -> {
                    if (!run(task)) {
                        failed.incrementAndGet();
                    }
                });
            }
        } // close() waits for every task
        return failed.get();
    }

    /** Starts an HTTP server on 127.0.0.1 and a free port that serves {@code registry} at /metrics. */
    public static HTTPServer serve(PrometheusRegistry registry) throws IOException {
        return HTTPServer.builder().inetAddress(InetAddress.getLoopbackAddress()).port(0).registry(registry)
                .buildAndStart();
    }

    /** Re-emits every line of {@code child}'s stdout with MDC worker = {@code worker}; returns the number of lines. */
    public static long relay(Process child, String worker) throws IOException {
        String outer = MDC.get(WORKER);
        MDC.put(WORKER, worker);
        try (BufferedReader lines = new BufferedReader(
                new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
            long count = 0;
            for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                int space = line.indexOf(' ');
                String prefix = space < 0 ? "" : line.substring(0, space);
                if (LEVELS.contains(prefix)) {
                    CHILD.atLevel(Level.valueOf(prefix)).log(line.substring(space + 1));
                } else {
                    CHILD.info(line);
                }
                count++;
            }
            return count;
        } finally {
            restore(WORKER, outer);
        }
    }
}
