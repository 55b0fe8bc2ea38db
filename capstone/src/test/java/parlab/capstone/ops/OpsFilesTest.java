package parlab.capstone.ops;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The sample operations files in {@code ops/} stay true to the program: the Grafana dashboard is valid JSON whose
 * every query names series that a real scrape of the capstone's /metrics has, and Prometheus scrapes the address
 * the sample config serves on.
 */
class OpsFilesTest {
    private static final Path OPS = Path.of("..", "ops");
    private static final Pattern SERIES = Pattern.compile("\\b(?:capstone|process)_[a-z_]+\\b");

    @Test
    void everyQueryOfTheGrafanaDashboardNamesSeriesTheProgramServes() throws Exception {
        JsonNode dashboard = JsonMapper.builder().build().readTree(Files.readString(OPS.resolve("grafana-dashboard.json")));
        Set<String> queried = new TreeSet<>();
        for (JsonNode panel : dashboard.get("panels")) {
            for (JsonNode target : panel.get("targets")) {
                Matcher m = SERIES.matcher(target.get("expr").asString());
                while (m.find()) {
                    queried.add(m.group());
                }
            }
        }
        assertThat(queried).as("series the dashboard queries").contains("capstone_rows_total",
                "capstone_bytes_total", "capstone_chunk_latency_seconds_bucket", "capstone_bytes_in_flight",
                "capstone_workers_alive", "capstone_worker_restarts_total", "capstone_rejects_total",
                "process_cpu_seconds_total");
        Set<String> served;
        try (OpsServer server = OpsServer.start("127.0.0.1", 0, new RunMetrics("x", 1, 1));
                HttpClient client = HttpClient.newHttpClient()) {
            served = HeldRun.get(client, server.uri().resolve("/metrics")).body().lines()
                    .filter(l -> !l.startsWith("#") && !l.isBlank())
                    .map(l -> l.replaceFirst("[{ ].*", "")).collect(Collectors.toCollection(TreeSet::new));
        }
        assertThat(served).as("series a scrape of /metrics has").containsAll(queried);
    }

    @Test
    void prometheusScrapesWhereTheSampleConfigServes() throws Exception {
        String prometheus = Files.readString(OPS.resolve("prometheus.yml"));
        String sample = Files.readString(Path.of("capstone.toml.example"));
        assertThat(prometheus).as("ops/prometheus.yml").contains("metrics_path: /metrics")
                .contains("\"127.0.0.1:9464\"");
        assertThat(sample).as("capstone.toml.example serves where Prometheus scrapes").contains("http-port = 9464");
    }
}
