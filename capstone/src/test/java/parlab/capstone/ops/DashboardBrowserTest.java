package parlab.capstone.ops;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import parlab.capstone.RunReport;

/**
 * The dashboard in a real headless Chromium: the page at {@code /} of a running program must show, through its
 * server-sent events, the numbers of the run as they are, while the run is held half-way and after it ends.
 * Screenshots go to {@code target/dashboard-running.png} and {@code target/dashboard-finished.png}.
 */
class DashboardBrowserTest {
    @TempDir
    Path dir;

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS) // a browser, DuckDB and a generated input on a shared 2-core machine
    void theDashboardShowsTheRunLiveThroughServerSentEvents() throws Exception {
        Chromium.executable();
        try (HeldRun run = new HeldRun(dir, 150_000, 32 << 10, 40); Chromium browser = Chromium.start(dir, 1400, 900)) {
            int held = run.awaitHeld();
            browser.open(run.uri("/"));
            long rowsHeld = run.metrics.snapshot().rows();
            Awaitility.await("the page shows the rows of the held run").atMost(Duration.ofSeconds(30))
                    .pollInterval(Duration.ofMillis(100))
                    .until(() -> browser.eval("document.getElementById('rows').dataset.value").asLong() == rowsHeld);
            assertThat(browser.eval("document.getElementById('status').dataset.value").asString())
                    .as("the run's state on the page").isEqualTo("running");
            assertThat(browser.eval("document.getElementById('chunks').dataset.value").asInt())
                    .as("chunks committed on the page").isEqualTo(held);
            assertThat(browser.eval("document.getElementById('workers').textContent").asString())
                    .as("workers alive of wanted").isEqualTo("2 / 2");
            assertThat(browser.eval("document.getElementById('latency').dataset.value").asDouble())
                    .as("the median chunk latency").isPositive();
            Awaitility.await("a few updates drawn").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
                    .until(() -> browser.eval("document.querySelectorAll('#c-lat polyline').length").asInt() == 3);
            browser.screenshot(Path.of("target/dashboard-running.png"));

            RunReport report = run.awaitReport();
            Awaitility.await("the page shows the end of the run").atMost(Duration.ofSeconds(30))
                    .pollInterval(Duration.ofMillis(100))
                    .until(() -> browser.eval("document.getElementById('status').dataset.value").asString()
                            .equals("finished"));
            assertThat(browser.eval("document.getElementById('rows').dataset.value").asLong())
                    .as("every row of the input, on the page").isEqualTo(report.rows());
            assertThat(browser.eval("document.getElementById('chunks').textContent").asString())
                    .as("chunks done of planned").isEqualTo(report.chunks() + " / " + report.chunks());
            assertThat(browser.eval("document.getElementById('rate').dataset.value").asLong())
                    .as("the page computed a throughput from the events").isPositive();
            browser.screenshot(Path.of("target/dashboard-finished.png"));
        }
    }
}
