package parlab.capstone.ops;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.LoggerContext;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;
import parlab.capstone.Chunk;
import parlab.capstone.ChunkResult;
import parlab.capstone.CliTest;
import parlab.testing.Datasets;
import parlab.testing.IgnoreThreads;

/**
 * The log (tagged with the chunk, to stderr or a file) and the terminal's progress bar with its ETA. The bar library
 * refreshes every bar of the JVM from one daemon thread of its own, {@code ProgressBar}, started with the first bar
 * and kept for the JVM's life: not a leak of the code under test.
 */
@IgnoreThreads("ProgressBar")
class LogAndBarTest {
    private static final Path SAMPLE = Datasets.root().resolve("datasets/1brc-samples/measurements-10.txt");

    @TempDir
    Path dir;

    @Test
    void aLogFileGetsTheRunsLinesTaggedWithTheirChunkAndStderrGetsThemBackAfterwards() throws Exception {
        Path log = dir.resolve("capstone.log");
        CliTest.Outcome outcome = CliTest.run("--input", SAMPLE.toString(), "--db-file",
                dir.resolve("l.duckdb").toString(), "--chunk-size", "64", "--log-file", log.toString(),
                "--log-level", "debug");
        assertThat(outcome.code()).as("exit code (stderr: %s)", outcome.err()).isZero();
        List<String> lines = Files.readAllLines(log);
        assertThat(lines).as("the log file").anySatisfy(l -> assertThat(l).contains("INFO", "run of", "2 threads"))
                .anySatisfy(l -> assertThat(l).contains("DEBUG", "chunk=0", "committed 5 rows"))
                .anySatisfy(l -> assertThat(l).contains("chunk=1", "committed"))
                .anySatisfy(l -> assertThat(l).contains("INFO", "done: 10 rows"));
        LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
        assertThat(context.getLogger("ROOT").getAppender("STDERR")).as("stderr's appender is back after the run")
                .isNotNull();
        assertThat(context.getLogger("parlab.capstone").getLevel().toString()).as("the level is back to INFO")
                .isEqualTo("INFO");
        CliTest.Outcome badLevel = CliTest.run("--input", SAMPLE.toString(), "--log-level", "loud");
        assertThat(badLevel.code()).as("exit code of an unknown log level").isEqualTo(2);
        assertThat(badLevel.err()).as("the message names the option").contains("--log-level loud");
    }

    @Test
    void theBarCountsChunksWithAnEtaAndTheRowsPerSecond() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (PrintStream err = new PrintStream(out, true, StandardCharsets.UTF_8);
                TerminalProgress bar = new TerminalProgress(err)) {
            for (int i = 0; i < 8; i++) {
                Chunk chunk = new Chunk(i, i * 100L, (i + 1) * 100L);
                bar.started(chunk, 100);
                bar.committed(new ChunkResult(chunk, 10, 10, Map.of(), List.of()), i + 1, 8);
            }
        }
        String shown = out.toString(StandardCharsets.UTF_8);
        assertThat(shown).as("the bar, once closed").contains("capstone", "100%", "8/8", "chunks", "rows/s")
                .containsPattern("\\d+:\\d\\d:\\d\\d");
    }

    @Test
    void barForcesTheBarAndProgressGivesLinesInstead() {
        CliTest.Outcome bar = CliTest.run("--input", SAMPLE.toString(), "--db-file",
                dir.resolve("b.duckdb").toString(), "--chunk-size", "64", "--bar");
        assertThat(bar.code()).as("exit code (stderr: %s)", bar.err()).isZero();
        assertThat(bar.err()).as("--bar draws the bar on stderr").contains("capstone", "100%", "2/2");
        CliTest.Outcome lines = CliTest.run("--input", SAMPLE.toString(), "--db-file",
                dir.resolve("p.duckdb").toString(), "--chunk-size", "64", "--progress");
        assertThat(lines.err()).as("--progress prints lines, no bar (not a terminal)").contains("committed chunk")
                .doesNotContain("%");
    }
}
