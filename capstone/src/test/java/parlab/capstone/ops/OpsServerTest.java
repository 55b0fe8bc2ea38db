package parlab.capstone.ops;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import parlab.capstone.CapstoneMain;
import parlab.capstone.ExitCode;
import parlab.capstone.RunReport;
import parlab.testing.Datasets;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The run's HTTP face, scraped for real over 127.0.0.1 while a real run is held half-way and after it ends:
 * /metrics in the Prometheus text format with every metric the Grafana dashboard uses, /health, the dashboard page,
 * and a port in use as one line with its own exit code.
 */
class OpsServerTest {
    @TempDir
    Path dir;

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS) // generates an input and loads DuckDB on a shared 2-core machine
    void metricsAndHealthAreServedWhileTheRunIsAliveAndAfterItEnds() throws Exception {
        try (HeldRun run = new HeldRun(dir, 120_000, 32 << 10, 20); HttpClient client = HttpClient.newHttpClient()) {
            int held = run.awaitHeld();
            Map<String, Double> during = scrape(client, run);
            assertThat(during).as("every metric the Grafana dashboard uses is exposed").containsKeys(
                    "capstone_rows_total", "capstone_bytes_total", "capstone_chunks_committed_total",
                    "capstone_rejects_total", "capstone_worker_restarts_total", "capstone_chunk_retries_total",
                    "capstone_chunk_latency_seconds_bucket{le=\"0.1\"}", "capstone_chunk_latency_seconds_count",
                    "capstone_queue_depth", "capstone_bytes_in_flight", "capstone_workers_alive",
                    "capstone_chunks_done", "capstone_chunks_planned", "process_cpu_seconds_total");
            assertThat(during.get("capstone_chunks_committed_total")).as("chunks committed when the run was held")
                    .isEqualTo(held);
            assertThat(during.get("capstone_rows_total")).as("rows committed so far, as the run counted them")
                    .isEqualTo((double) run.metrics.snapshot().rows()).isPositive();
            assertThat(during.get("capstone_chunk_latency_seconds_count")).as("one latency per committed chunk")
                    .isEqualTo(held);
            assertThat(during.get("capstone_workers_alive")).as("workers alive").isEqualTo(2);
            assertThat(during.get("process_cpu_seconds_total")).as("the process's CPU time").isPositive();

            JsonNode health = health(client, run, 200);
            assertThat(health.get("status").asString()).as("/health while the run is held").isEqualTo("running");
            assertThat(health.get("chunksDone").asInt()).as("/health chunksDone").isEqualTo(held);

            HttpResponse<String> page = HeldRun.get(client, run.uri("/"));
            assertThat(page.statusCode()).as("GET / serves the dashboard").isEqualTo(200);
            assertThat(page.body()).as("the dashboard reads the event stream and loads nothing from elsewhere")
                    .contains("new EventSource(\"events\")").doesNotContain("http://", "https://");
            assertThat(HeldRun.get(client, run.uri("/nothing-here")).statusCode()).as("an unknown path").isEqualTo(404);

            RunReport report = run.awaitReport();
            assertThat(report.formatted()).as("the held run's result").isEqualTo(run.expected);
            Map<String, Double> after = scrape(client, run);
            assertThat(after.get("capstone_rows_total")).as("rows_total after the run: every row of the input")
                    .isEqualTo((double) report.rows());
            assertThat(after.get("capstone_chunks_done")).as("chunks done after the run").isEqualTo(report.chunks());
            assertThat(after.get("capstone_bytes_in_flight")).as("nothing in flight after the run").isZero();
            assertThat(health(client, run, 200).get("status").asString()).as("/health after the run")
                    .isEqualTo("finished");
        }
    }

    @Test
    void aPortInUseIsOneLineThatNamesItWithItsOwnExitCode() throws Exception {
        Path sample = Datasets.root().resolve("datasets/1brc-samples/measurements-10.txt");
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            int code;
            try (PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
                    PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8)) {
                code = CapstoneMain.run(new String[] {"--input", sample.toString(), "--db-file",
                    dir.resolve("p.duckdb").toString(), "--http-port", Integer.toString(taken.getLocalPort())}, o, e);
            }
            String message = err.toString(StandardCharsets.UTF_8);
            assertThat(code).as("exit code of a port in use (stderr: %s)", message).isEqualTo(ExitCode.PORT_IN_USE.code());
            assertThat(message.strip().lines().count()).as("one line on stderr: %s", message).isEqualTo(1);
            assertThat(message).as("the message names the port and what to do")
                    .contains("port " + taken.getLocalPort()).contains("--http-port");
            assertThat(out.toString(StandardCharsets.UTF_8)).as("nothing on stdout on failure").isEmpty();
        }
    }

    /** The samples of a scrape, by name and labels: {@code capstone_rows_total} or {@code x_bucket{le="0.1"}}. */
    static Map<String, Double> scrape(HttpClient client, HeldRun run) throws Exception {
        HttpResponse<String> response = HeldRun.get(client, run.uri("/metrics"));
        assertThat(response.statusCode()).as("GET /metrics").isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type").orElse("")).as("the Prometheus text format")
                .startsWith("text/plain");
        Map<String, Double> samples = new HashMap<>();
        response.body().lines().filter(l -> !l.isBlank() && !l.startsWith("#")).forEach(line -> {
            int space = line.lastIndexOf(' ');
            samples.put(line.substring(0, space), Double.parseDouble(line.substring(space + 1)));
        });
        return samples;
    }

    private static JsonNode health(HttpClient client, HeldRun run, int status) throws Exception {
        HttpResponse<String> response = HeldRun.get(client, run.uri("/health"));
        assertThat(response.statusCode()).as("GET /health: %s", response.body()).isEqualTo(status);
        return JsonMapper.builder().build().readTree(response.body());
    }
}
