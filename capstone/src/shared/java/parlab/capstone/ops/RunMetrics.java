package parlab.capstone.ops;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.CounterWithCallback;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.lang.management.ManagementFactory;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import parlab.capstone.Chunk;
import parlab.capstone.ChunkResult;
import parlab.capstone.Progress;
import parlab.capstone.RunReport;

/**
 * The run's numbers, fed by {@link Progress} events and read by the HTTP endpoints: Prometheus metrics for
 * {@code /metrics} and a {@link Snapshot} for {@code /health} and the dashboard's event stream.
 *
 * <p>Metrics (all in the run's own registry, so that two runs in one JVM never share a number):
 * <ul>
 *   <li>{@value #ROWS}_total, {@value #BYTES}_total, {@value #CHUNKS}_total, {@value #REJECTS}_total: counters of
 *       committed work (rows/s and bytes/s are their {@code rate()});</li>
 *   <li>{@value #LATENCY}: histogram of a chunk's time from hand-off to a worker until its commit (queueing,
 *       parsing and the database transaction);</li>
 *   <li>{@value #QUEUE}, {@value #IN_FLIGHT}: chunks and bytes handed out and not yet committed;</li>
 *   <li>{@value #WORKERS}, {@value #RESTARTS}_total, {@value #RETRIES}_total: worker health;</li>
 *   <li>{@value #CHUNKS_DONE}, {@value #CHUNKS_PLANNED}: progress through the input, skipped chunks included;</li>
 *   <li>{@value #CPU}_total: the JVM process's CPU time, from {@code OperatingSystemMXBean}.</li>
 * </ul>
 *
 * <p>Threads: the runner's calling thread tells the events; HTTP threads read. Prometheus metrics are thread-safe;
 * the snapshot's own fields are atomics or are guarded by {@code this} (the latency window and the warnings).
 * Exemplars are off: they would start the library's JVM-wide scheduler thread, and a run has no traces to link.
 */
public final class RunMetrics implements Progress {
    public static final String ROWS = "capstone_rows";
    public static final String BYTES = "capstone_bytes";
    public static final String CHUNKS = "capstone_chunks_committed";
    public static final String REJECTS = "capstone_rejects";
    public static final String LATENCY = "capstone_chunk_latency_seconds";
    public static final String QUEUE = "capstone_queue_depth";
    public static final String IN_FLIGHT = "capstone_bytes_in_flight";
    public static final String WORKERS = "capstone_workers_alive";
    public static final String RESTARTS = "capstone_worker_restarts";
    public static final String RETRIES = "capstone_chunk_retries";
    public static final String CHUNKS_DONE = "capstone_chunks_done";
    public static final String CHUNKS_PLANNED = "capstone_chunks_planned";
    public static final String CPU = "process_cpu_seconds";

    private static final int LATENCY_WINDOW = 256;
    private static final int WARNINGS_KEPT = 20;

    /** A run's state as {@code /health} and the dashboard show it. */
    public enum State { STARTING, RUNNING, FINISHED, FAILED }

    private final PrometheusRegistry registry = new PrometheusRegistry();
    private final Counter rowsCounter;
    private final Counter bytesCounter;
    private final Counter chunksCounter;
    private final Counter rejectsCounter;
    private final Counter restartsCounter;
    private final Counter retriesCounter;
    private final Histogram latency;
    private final Gauge queueGauge;
    private final Gauge inFlightGauge;
    private final Gauge workersGauge;
    private final com.sun.management.OperatingSystemMXBean os =
            (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();

    private final String input;
    private final long inputBytes;
    private final int workersWanted;
    private final long startedAt = System.currentTimeMillis();
    private final Map<Integer, Long> handedOut = new ConcurrentHashMap<>();
    private final AtomicLong rows = new AtomicLong();
    private final AtomicLong bytes = new AtomicLong();
    private final AtomicLong rejects = new AtomicLong();
    private final AtomicLong restarts = new AtomicLong();
    private final AtomicLong retries = new AtomicLong();
    private final AtomicLong bytesInFlight = new AtomicLong();
    private final AtomicLong workers = new AtomicLong();
    private volatile int chunksDone;
    private volatile int chunksPlanned;
    private volatile State state = State.STARTING;
    private volatile long endedAt;
    private volatile String failure;
    /** Guarded by {@code this}: the latencies of the last chunks, in seconds, as a ring. */
    private final double[] window = new double[LATENCY_WINDOW];
    private long observed;
    /** Guarded by {@code this}. */
    private final Deque<String> warnings = new ArrayDeque<>();

    /**
     * @param input         the input's name, for the dashboard's title
     * @param inputBytes    its size
     * @param workersWanted how many workers the run is meant to have (the dashboard shows alive of wanted)
     */
    public RunMetrics(String input, long inputBytes, int workersWanted) {
        this.input = input;
        this.inputBytes = inputBytes;
        this.workersWanted = workersWanted;
        rowsCounter = Counter.builder().name(ROWS).help("Good rows committed").withoutExemplars().register(registry);
        bytesCounter = Counter.builder().name(BYTES).help("Input bytes of committed chunks").withoutExemplars().register(registry);
        chunksCounter = Counter.builder().name(CHUNKS).help("Chunks committed by this run").withoutExemplars().register(registry);
        rejectsCounter = Counter.builder().name(REJECTS).help("Bad lines stored as rejects").withoutExemplars().register(registry);
        restartsCounter = Counter.builder().name(RESTARTS).help("Workers that died and were replaced")
                .withoutExemplars().register(registry);
        retriesCounter = Counter.builder().name(RETRIES).help("Chunks handed out again after a worker failed")
                .withoutExemplars().register(registry);
        latency = Histogram.builder().name(LATENCY)
                .help("Time of a chunk from its hand-off to a worker until its commit")
                .classicOnly().classicUpperBounds(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30)
                .withoutExemplars().register(registry);
        queueGauge = Gauge.builder().name(QUEUE).help("Chunks handed to workers and not yet committed")
                .withoutExemplars().register(registry);
        inFlightGauge = Gauge.builder().name(IN_FLIGHT).help("Bytes of the chunks handed out and not yet committed")
                .withoutExemplars().register(registry);
        workersGauge = Gauge.builder().name(WORKERS).help("Workers alive").withoutExemplars().register(registry);
        GaugeWithCallback.builder().name(CHUNKS_DONE).help("Chunks of the input committed, earlier runs' included")
                .callback(cb -> cb.call(chunksDone)).register(registry);
        GaugeWithCallback.builder().name(CHUNKS_PLANNED).help("Chunks of the input (0 until the first commit)")
                .callback(cb -> cb.call(chunksPlanned)).register(registry);
        CounterWithCallback.builder().name(CPU).help("CPU time of the whole JVM process, in seconds")
                .callback(cb -> cb.call(os.getProcessCpuTime() / 1e9)).register(registry);
    }

    public PrometheusRegistry registry() {
        return registry;
    }

    @Override
    public void started(Chunk chunk, long inFlight) {
        handedOut.put(chunk.id(), System.nanoTime());
        state = State.RUNNING;
        bytesInFlight.set(inFlight);
        inFlightGauge.set(inFlight);
        queueGauge.set(handedOut.size());
    }

    @Override
    public void committed(Chunk chunk, int done, int total) {
        // committed(ChunkResult, ...) does the work; a runner that tells only this one still moves the progress
        chunksDone = done;
        chunksPlanned = total;
    }

    @Override
    public void committed(ChunkResult result, int done, int total) {
        Chunk chunk = result.chunk();
        Long since = handedOut.remove(chunk.id());
        if (since != null) {
            double seconds = (System.nanoTime() - since) / 1e9;
            latency.observe(seconds);
            synchronized (this) {
                window[(int) (observed++ % LATENCY_WINDOW)] = seconds;
            }
        }
        rows.addAndGet(result.rows());
        bytes.addAndGet(chunk.size());
        rowsCounter.inc(result.rows());
        bytesCounter.inc(chunk.size());
        chunksCounter.inc();
        long inFlight = bytesInFlight.addAndGet(-chunk.size());
        inFlightGauge.set(Math.max(0, inFlight));
        queueGauge.set(handedOut.size());
        if (!result.rejects().isEmpty()) {
            rejects.addAndGet(result.rejected());
            rejectsCounter.inc(result.rejected());
            warn("chunk " + chunk.id() + ": " + result.rejected() + " bad line(s) rejected ("
                    + result.rejects().getFirst().reason() + ", ...)");
        }
        committed(chunk, done, total);
    }

    @Override
    public void workersAlive(int alive) {
        workers.set(alive);
        workersGauge.set(alive);
    }

    @Override
    public void workerRestarted(long deadPid, long newPid, int restartsSoFar) {
        restarts.incrementAndGet();
        restartsCounter.inc();
        warn("worker JVM " + deadPid + " died; " + newPid + " took its place");
    }

    @Override
    public void chunkRetried(Chunk chunk, int crashes, long backoffMillis) {
        retries.incrementAndGet();
        retriesCounter.inc();
        warn("chunk " + chunk.id() + " retried in " + backoffMillis + " ms (crash " + crashes + ")");
    }

    @Override
    public void chunkQuarantined(Chunk chunk, int crashes, String lastCrash) {
        warn("chunk " + chunk.id() + " QUARANTINED after " + crashes + " crashes: " + lastCrash);
    }

    /** The run ended with {@code report}. */
    public void finished(RunReport report) {
        chunksDone = report.chunks();
        chunksPlanned = report.chunks();
        queueGauge.set(0);
        inFlightGauge.set(0);
        endedAt = System.currentTimeMillis();
        state = State.FINISHED;
    }

    /** The run ended with {@code cause}. */
    public void failed(Throwable cause) {
        failure = String.valueOf(cause.getMessage() == null ? cause : cause.getMessage());
        endedAt = System.currentTimeMillis();
        state = State.FAILED;
        warn("run failed: " + failure);
    }

    private synchronized void warn(String warning) {
        if (warnings.size() == WARNINGS_KEPT) {
            warnings.removeFirst();
        }
        warnings.addLast(warning);
    }

    /**
     * What {@code /health} and the dashboard's events carry: counts since the start of this run, its time so far
     * ({@code uptimeMillis}, which stops when the run ends), the latency
     * quantiles of the last chunks (seconds), the process's recent CPU load (0..1 of all cores), the last warnings.
     */
    public record Snapshot(String state, String input, long inputBytes, long uptimeMillis, long rows, long bytes,
            int chunksDone, int chunksPlanned, int queueDepth, long bytesInFlight, long workersAlive,
            int workersWanted, long restarts, long retries, long rejects, double cpu, double cpuSeconds,
            int cores, double latencyP50, double latencyP90, double latencyP99, double latencyMax,
            List<String> warnings, String failure) {
    }

    public Snapshot snapshot() {
        double[] recent;
        List<String> lastWarnings;
        synchronized (this) {
            recent = Arrays.copyOf(window, (int) Math.min(observed, LATENCY_WINDOW));
            lastWarnings = List.copyOf(warnings);
        }
        Arrays.sort(recent);
        return new Snapshot(state.name().toLowerCase(java.util.Locale.ROOT), input, inputBytes,
                (endedAt > 0 ? endedAt : System.currentTimeMillis()) - startedAt, rows.get(), bytes.get(), chunksDone, chunksPlanned,
                handedOut.size(), Math.max(0, bytesInFlight.get()), workers.get(), workersWanted, restarts.get(),
                retries.get(), rejects.get(), Math.max(0, os.getProcessCpuLoad()), os.getProcessCpuTime() / 1e9,
                os.getAvailableProcessors(), quantile(recent, 0.5), quantile(recent, 0.9), quantile(recent, 0.99),
                recent.length == 0 ? 0 : recent[recent.length - 1], lastWarnings, failure);
    }

    private static double quantile(double[] sorted, double q) {
        return sorted.length == 0 ? 0 : sorted[(int) Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
    }
}
