package parlab.stage3.metrics;

import io.prometheus.metrics.exporter.httpserver.HTTPServer;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.util.List;
import org.slf4j.MDC;

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
 * <p>Things to think about: MDC is per thread, so on which thread must it be set for a task's lines to carry it?
 * A pool thread runs one task after another: what does the second task's log line say if the first one threw
 * before cleaning up? Why do histograms, not averages, let you add up latencies across workers and processes?
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

    /** Registers this pool's metrics in {@code registry}; durations are read from {@code clock}. */
    public InstrumentedPool(PrometheusRegistry registry, Clock clock) {
        // TODO: build and register the counter and the histogram (prometheus-metrics-core builders), keep the clock
        throw new UnsupportedOperationException("TODO: InstrumentedPool");
    }

    /** Runs {@code task} on the calling thread, logged and measured; true if it completed, false if it threw. */
    public boolean run(Task task) {
        // TODO: put worker and task into the MDC, remembering what was there
        // TODO: run the task between two clock readings; log; count it and observe its duration, both by worker
        // TODO: on every way out, put the MDC back as it was
        throw new UnsupportedOperationException("TODO: run");
    }

    /** Runs every task on {@code workers} threads; returns how many failed. */
    public int runAll(List<Task> all, int workers) {
        // TODO: a pool of `workers` threads named worker-0, worker-1, ...; run(task) for each; close the pool
        throw new UnsupportedOperationException("TODO: runAll");
    }

    /** Starts an HTTP server on 127.0.0.1 and a free port that serves {@code registry} at /metrics. */
    public static HTTPServer serve(PrometheusRegistry registry) throws IOException {
        // TODO: the exporter's HTTPServer.builder(), bound to the loopback address
        throw new UnsupportedOperationException("TODO: serve");
    }

    /** Re-emits every line of {@code child}'s stdout with MDC worker = {@code worker}; returns the number of lines. */
    public static long relay(Process child, String worker) throws IOException {
        // TODO: read the child's stdout line by line (UTF-8) until it ends
        // TODO: log each line on CHILD_LOGGER at its level, with the child's id as the MDC worker; restore the MDC
        throw new UnsupportedOperationException("TODO: relay");
    }
}
