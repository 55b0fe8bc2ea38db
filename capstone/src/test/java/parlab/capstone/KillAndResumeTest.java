package parlab.capstone;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import parlab.testing.ChildJvm;

/**
 * The real thing: the program runs in a child JVM, is killed with SIGKILL ({@code destroyForcibly}) right after it
 * reports a number of committed chunks, and is started again on the same database, several times. The last run
 * must finish with exactly the oracle's result and not one duplicate row. No sleeps: the child's progress lines
 * ({@code --progress}) say when to kill.
 */
class KillAndResumeTest {
    private static final Pattern PROGRESS = Pattern.compile("committed chunk (\\d+) \\((\\d+)/(\\d+)\\)");
    private static final List<String> JVM = List.of("-Xmx64m", "-XX:TieredStopAtLevel=1", "-Xshare:auto",
            "--enable-native-access=ALL-UNNAMED");

    @TempDir
    Path dir;

    @Test
    @Timeout(value = 90, unit = TimeUnit.SECONDS) // four child JVMs that load DuckDB, on a shared 2-core machine
    void aRunKilledAtSeveralPointsAndRestartedEndsExactWithoutDuplicates() throws Exception {
        Path input = Fixtures.generate(dir, 60_000, 21, 300);
        String expected = Fixtures.expected(input);
        Path db = dir.resolve("killed.duckdb");
        String[] args = {"--input", input.toString(), "--db-file", db.toString(), "--chunk-size", "16k",
            "--parallelism", "2", "--progress"};
        killAndResume(args, new int[] {2, 12, 30}, expected, () -> Fixtures.reopen(db));
    }

    /**
     * Runs the program with {@code args} in a child JVM, kills it with SIGKILL as soon as it has reported each
     * number of committed chunks in {@code killPoints} (one run per point, each resuming the last), checks the
     * database after every kill ({@code database} opens it), then lets a last run finish: exact result, only the
     * chunks left committed, no duplicate row.
     */
    static void killAndResume(String[] args, int[] killPoints, String expected, Callable<Connection> database)
            throws Exception {
        int total = -1;
        for (int killAt : killPoints) {
            try (ChildJvm child = ChildJvm.start(CapstoneMain.class, JVM, args)) {
                StringBuilder seen = new StringBuilder();
                int done = 0;
                try (BufferedReader err = new BufferedReader(new InputStreamReader(child.process().getErrorStream(),
                        StandardCharsets.UTF_8))) {
                    for (String line; done < killAt && (line = err.readLine()) != null; ) {
                        seen.append(line).append('\n');
                        Matcher m = PROGRESS.matcher(line);
                        if (m.find()) {
                            done = Integer.parseInt(m.group(2));
                            total = Integer.parseInt(m.group(3));
                        }
                    }
                    assertThat(done).as("the child reports at least %d committed chunks before it is killed "
                            + "(it exited with %s; its stderr:%n%s)", killAt,
                            child.process().isAlive() ? "nothing yet" : child.process().waitFor(), seen)
                            .isGreaterThanOrEqualTo(killAt);
                    child.process().destroyForcibly();
                    child.waitFor(Duration.ofSeconds(10));
                }
            }
            assertThat(total).as("the file is cut into more chunks than the last kill point").isGreaterThan(killAt);
            try (Connection connection = database.call()) {
                long stored = Fixtures.count(connection, "SELECT count(*) FROM " + Database.CHUNKS_DONE);
                assertThat(stored).as("after SIGKILL at %d, every reported commit is in the database", killAt)
                        .isGreaterThanOrEqualTo(killAt);
                RunnerTest.assertNoDuplicates(connection, (int) stored);
            }
        }
        CliTest.Outcome last = Fixtures.runToEnd(JVM, Duration.ofSeconds(30), args);
        assertThat(last.code()).as("the restarted run finishes (stderr: %s)", last.err().lines().reduce((a, b) -> b)
                .orElse("")).isZero();
        assertThat(last.out().strip()).as("the restarted run prints the exact result").isEqualTo(expected);
        assertThat(last.err()).as("the restarted run only commits the chunks left, ending at %d/%d", total, total)
                .contains("(" + total + "/" + total + ")").doesNotContain("(1/" + total + ")");
        try (Connection connection = database.call()) {
            assertThat(Fixtures.resultsTable(connection)).as("results table after kills and restarts")
                    .isEqualTo(expected);
            RunnerTest.assertNoDuplicates(connection, total);
        }
    }
}
