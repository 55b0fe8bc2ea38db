/**
 * Operations of the capstone: the plumbing around a run, the same for skeleton and solution.
 *
 * <pre>
 * capstone.toml ── ConfigFile (key = long option; the command line wins) ──► CapstoneMain's options
 *
 * Runner (calling thread) ── Progress events ──► Fanout ─┬─► --progress lines           (stderr)
 *                                                         ├─► TerminalProgress          (bar + ETA on a terminal)
 *                                                         ├─► RunLog                     (logback, MDC worker/chunk)
 *                                                         └─► RunMetrics ◄── OpsServer (HTTP threads)
 *                                                               │            GET /metrics  Prometheus text
 *                                                               │            GET /health   JSON status
 *                                                               │            GET /events   SSE snapshots (250 ms)
 *                                                               └──────────► GET /        dashboard.html
 * </pre>
 *
 * <p>Everything is fed from {@link parlab.capstone.Progress}: the runner only tells what happened to chunks and
 * workers, on its own thread, and knows nothing of metrics. {@link parlab.capstone.ops.RunMetrics} turns the events
 * into Prometheus metrics (counters, a latency histogram, gauges) and a snapshot that HTTP threads read. HTTP is off
 * unless {@code --http-port} (or {@code http-port} in the config file) asks for it: a batch program should not open
 * a port unasked, and two runs on one machine would fight over a fixed one. Sample Prometheus and Grafana files are
 * in the repository's {@code ops/} folder.
 */
package parlab.capstone.ops;
