package parlab.capstone;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.awaitility.Awaitility;
import org.duckdb.DuckDBConnection;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import parlab.onebrc.Oracle;
import parlab.testing.ChildJvm;

/**
 * The target, "zero rows lost or duplicated over at least 10 random kill/restart cycles": the program runs
 * in a child JVM on one file and one DuckDB database, and is started and killed again and again. Each cycle picks
 * thread or process mode and {@code SIGKILL} or {@code SIGTERM} (a shuffled schedule holds every combination
 * equally often), waits for a random number of further commits (0: as soon as the run has opened the database,
 * while worker JVMs may still be booting), and kills. After every kill: the child and every worker JVM it had are
 * gone (a {@code SIGKILL}ed parent cannot close its workers: they must notice the end of their stdin and exit by
 * themselves), no process is left that still names the input file, and the database holds each committed chunk
 * exactly once and complete: its byte range cut at line boundaries and the same in every run, its line and row
 * counts, and partials equal to an aggregation of that range done here, independently. A last run then finishes and
 * must print the {@link Oracle}'s result, exactly, and store it in the results table.
 *
 * <p>Random but reproducible: the seed is in every failure message, and {@code -Dparlab.capstone.chaos.seed=N} on
 * the Maven command line replays its schedule (the choices; the exact kill moments still depend on timing). The
 * test prints the history of its cycles on stdout.
 */
class KillRestartChaosTest {
    private static final Pattern PROGRESS = Pattern.compile("committed chunk (\\d+) \\((\\d+)/(\\d+)\\)");
    /** The log line the program writes once the database is open and claimed, just before the run starts. */
    private static final String RUN_STARTS = "CapstoneMain: run of ";
    private static final List<String> JVM = List.of("-Xmx48m", "-XX:TieredStopAtLevel=1", "-Xshare:auto",
            "-XX:+UseSerialGC", "--enable-native-access=ALL-UNNAMED");
    private static final int CYCLES_PER_KIND = 3; // x 2 modes x 2 signals = 12 cycles
    private static final int MAX_STEP = 5; // further commits a cycle waits for: 0..MAX_STEP
    private static final Duration DRAIN_TIMEOUT = Duration.ofSeconds(10);
    private static final Duration GONE = Duration.ofSeconds(15);

    @TempDir
    Path dir;

    private record Cycle(boolean processes, boolean sigkill) {
        String describe() {
            return (sigkill ? "SIGKILL" : "SIGTERM") + " in " + (processes ? "process" : "thread") + " mode";
        }
    }

    /** A committed chunk as {@code chunks_done} and {@code partials} hold it. */
    private record Stored(long start, long end, long lines, long rows, long rejects, Map<String, List<Long>> partials) {
    }

    @Test
    @Timeout(value = 180, unit = TimeUnit.SECONDS) // 13 child JVMs with DuckDB, and their worker JVMs, on 2 cores
    void twelveRandomKillsWithSigkillOrSigtermInBothModesLoseAndDuplicateNothingAndTheLastRunIsExact()
            throws Exception {
        long seed = Long.getLong("parlab.capstone.chaos.seed", System.nanoTime() % 1_000_000);
        String tag = "seed " + seed + "; replay with -Dparlab.capstone.chaos.seed=" + seed;
        Random random = new Random(seed);
        Path input = Fixtures.generate(dir, 100_000, 91, 400);
        byte[] bytes = Files.readAllBytes(input);
        String oracle = Oracle.resultOf(input);
        Path db = dir.resolve("chaos.duckdb");
        List<String> args = List.of("--input", input.toString(), "--db-file", db.toString(), "--chunk-size", "12k",
                "--parallelism", "2", "--progress", "--drain-timeout", Long.toString(DRAIN_TIMEOUT.toSeconds()));
        List<Cycle> schedule = new ArrayList<>();
        for (int i = 0; i < CYCLES_PER_KIND; i++) {
            for (boolean processes : new boolean[] {false, true}) {
                schedule.add(new Cycle(processes, true));
                schedule.add(new Cycle(processes, false));
            }
        }
        Collections.shuffle(schedule, random);
        int total = -1;
        long stored = 0;
        Set<Integer> reported = new TreeSet<>();
        Map<Integer, Stored> seen = new HashMap<>();
        List<String> log = new ArrayList<>();
        for (int c = 0; c < schedule.size(); c++) {
            Cycle cycle = schedule.get(c);
            int step = random.nextInt(MAX_STEP + 1);
            if (total > 0) {
                step = (int) Math.min(step, total - stored - 1);
            }
            String what = "cycle " + (c + 1) + "/" + schedule.size() + ", " + cycle.describe() + " after " + step
                    + " more commit(s) (" + tag + ")";
            List<String> command = new ArrayList<>(args);
            command.addAll(List.of("--workers", cycle.processes() ? "processes" : "threads"));
            List<ProcessHandle> family;
            int code;
            StringBuilder stderr = new StringBuilder();
            int committedNow = 0;
            try (ChildJvm child = ChildJvm.start(CapstoneMain.class, JVM, command.toArray(String[]::new))) {
                Process process = child.process();
                process.getOutputStream().close();
                try (BufferedReader err = new BufferedReader(new InputStreamReader(process.getErrorStream(),
                        StandardCharsets.UTF_8))) {
                    boolean due = false;
                    for (String line; !due && (line = err.readLine()) != null; ) {
                        stderr.append(line).append('\n');
                        Matcher m = PROGRESS.matcher(line);
                        if (m.find()) {
                            reported.add(Integer.parseInt(m.group(1)));
                            total = Integer.parseInt(m.group(3));
                            committedNow++;
                        }
                        due = step == 0 ? line.contains(RUN_STARTS) : committedNow >= step;
                    }
                    assertThat(due).as("%s: the child gets that far before it is killed (it exited with %s; its "
                            + "stderr:%n%s)", what, process.isAlive() ? "nothing yet" : process.waitFor(), stderr)
                            .isTrue();
                    family = process.descendants().toList();
                    if (cycle.sigkill()) {
                        process.toHandle().destroyForcibly();
                    } else {
                        process.toHandle().destroy(); // Process.destroy would also close our end of its pipes
                    }
                    code = child.waitFor(DRAIN_TIMEOUT.plusSeconds(15));
                    while (err.ready()) { // what it wrote before it died: no more (a live worker would block EOF)
                        stderr.append((char) err.read());
                    }
                }
            }
            if (cycle.sigkill()) {
                assertThat(code).as("%s: exit code (stderr:%n%s)", what, stderr).isEqualTo(128 + 9);
            } else {
                assertThat(code).as("%s: exit code, drained (stderr:%n%s)", what, stderr)
                        .isEqualTo(ExitCode.INTERRUPTED.code());
            }
            if (cycle.processes() && step > 0) {
                assertThat(family).as("%s: worker JVMs of the process-mode run", what).isNotEmpty();
            }
            long killed = System.nanoTime();
            Awaitility.await(what + ": every worker JVM of the killed run has exited").atMost(GONE)
                    .pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(10))
                    .until(() -> family.stream().noneMatch(KillRestartChaosTest::running));
            long goneMillis = (System.nanoTime() - killed) / 1_000_000;
            Awaitility.await(what + ": no process names the input any more (a worker that was being started)")
                    .atMost(GONE).until(() -> namingInput(input).isEmpty());
            try (DuckDBConnection connection = Fixtures.reopen(db)) {
                Map<Integer, Stored> now = read(connection);
                assertThat(now.keySet()).as("%s: every commit the runs reported is in the database", what)
                        .containsAll(reported);
                assertThat(Fixtures.count(connection, "SELECT count(*) FROM " + Database.RESULTS))
                        .as("%s: a killed run writes no result", what).isZero();
                RunnerTest.assertNoDuplicates(connection, now.size());
                checkComplete(bytes, now, seen, what);
                assertThat(now.size()).as("%s: commits are never lost: chunks done before and after", what)
                        .isGreaterThanOrEqualTo((int) stored);
                log.add(cycle.describe() + ", step " + step + ": " + stored + " -> " + now.size() + " chunks done, "
                        + family.size() + " worker JVM(s) exited " + goneMillis + " ms after the child");
                stored = now.size();
            }
        }
        assertThat(total).as("chunks in the file (%s)", tag).isGreaterThan((int) stored);
        boolean lastInProcesses = random.nextBoolean();
        List<String> command = new ArrayList<>(args);
        command.addAll(List.of("--workers", lastInProcesses ? "processes" : "threads"));
        CliTest.Outcome last = Fixtures.runToEnd(JVM, Duration.ofSeconds(60), command.toArray(String[]::new));
        String out = last.out();
        String err = last.err();
        assertThat(last.code()).as("the last run finishes (%s; stderr:%n%s)", tag, err).isZero();
        String history = String.join("\n", log);
        assertThat(out.strip()).as("the last run's result after:%n%s%n(%s)", history, tag).isEqualTo(oracle);
        assertThat(err).as("the last run commits only the %d chunks left (%s)", total - stored, tag)
                .contains("(" + total + "/" + total + ")").contains("(" + (stored + 1) + "/" + total + ")")
                .doesNotContain("(" + stored + "/" + total + ")");
        try (DuckDBConnection connection = Fixtures.reopen(db)) {
            assertThat(Fixtures.resultsTable(connection)).as("the results table after:%n%s%n(%s)", history, tag)
                    .isEqualTo(oracle);
            RunnerTest.assertNoDuplicates(connection, total);
            checkComplete(bytes, read(connection), seen, "after the last run (" + tag + ")");
        }
        System.out.println("kill/restart chaos, " + tag + ", " + total + " chunks:\n" + history);
    }

    /** Live processes whose command line holds the input's path: the program's JVM and its workers. */
    private static List<ProcessHandle> namingInput(Path input) {
        String path = input.toAbsolutePath().toString();
        return ProcessHandle.allProcesses().filter(p -> p.info().arguments()
                .map(a -> List.of(a).contains(path) || List.of(a).contains(input.toString())).orElse(false))
                .filter(KillRestartChaosTest::running).toList();
    }

    /**
     * Alive and not a zombie. A worker orphaned by a {@code SIGKILL}ed parent is reaped by PID 1, whenever that gets
     * to it (seconds in some containers, never in others), and {@link ProcessHandle#isAlive} counts a zombie as
     * alive; on Linux its state in {@code /proc/PID/stat} says it has exited.
     */
    private static boolean running(ProcessHandle process) {
        if (!process.isAlive()) {
            return false;
        }
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(process.pid()), "stat"));
            return stat.charAt(stat.lastIndexOf(')') + 2) != 'Z';
        } catch (IOException | RuntimeException noProcfs) {
            return process.isAlive();
        }
    }

    private static Map<Integer, Stored> read(Connection db) throws SQLException {
        Map<Integer, Map<String, List<Long>>> partials = new HashMap<>();
        try (Statement s = db.createStatement(); ResultSet rs = s.executeQuery(
                "SELECT chunk_id, station, min, max, sum, count FROM " + Database.PARTIALS)) {
            while (rs.next()) {
                partials.computeIfAbsent(rs.getInt(1), k -> new TreeMap<>()).put(rs.getString(2),
                        List.of(rs.getLong(3), rs.getLong(4), rs.getLong(5), rs.getLong(6)));
            }
        }
        Map<Integer, Stored> chunks = new TreeMap<>();
        try (Statement s = db.createStatement(); ResultSet rs = s.executeQuery(
                "SELECT chunk_id, start_byte, end_byte, lines, rows, rejects FROM " + Database.CHUNKS_DONE)) {
            while (rs.next()) {
                chunks.put(rs.getInt(1), new Stored(rs.getLong(2), rs.getLong(3), rs.getLong(4), rs.getLong(5),
                        rs.getLong(6), partials.getOrDefault(rs.getInt(1), Map.of())));
            }
        }
        return chunks;
    }

    /**
     * Every stored chunk is cut at line boundaries, keeps its range from run to run, touches its neighbours, and
     * holds exactly what its bytes say: lines, rows, no rejects, and per station min, max, sum and count in tenths.
     */
    private static void checkComplete(byte[] file, Map<Integer, Stored> chunks, Map<Integer, Stored> seen,
            String what) {
        for (Map.Entry<Integer, Stored> e : chunks.entrySet()) {
            int id = e.getKey();
            Stored chunk = e.getValue();
            assertThat((chunk.start() == 0 || file[(int) chunk.start() - 1] == '\n')
                    && chunk.end() > chunk.start() && file[(int) chunk.end() - 1] == '\n')
                    .as("%s: chunk %d [%d, %d) is cut at line boundaries", what, id, chunk.start(), chunk.end())
                    .isTrue();
            Stored before = seen.putIfAbsent(id, chunk);
            if (before != null) {
                assertThat(chunk).as("%s: chunk %d as stored in an earlier cycle", what, id).isEqualTo(before);
            }
            Stored next = chunks.get(id + 1);
            if (next != null) {
                assertThat(next.start()).as("%s: chunk %d starts where chunk %d ends", what, id + 1, id)
                        .isEqualTo(chunk.end());
            }
            Map<String, long[]> expected = new TreeMap<>();
            long lines = 0;
            int p = (int) chunk.start();
            while (p < chunk.end()) {
                int semicolon = p;
                while (file[semicolon] != ';') {
                    semicolon++;
                }
                int newline = semicolon;
                while (newline < chunk.end() && file[newline] != '\n') {
                    newline++;
                }
                String name = new String(file, p, semicolon - p, StandardCharsets.UTF_8);
                long tenths = Long.parseLong(new String(file, semicolon + 1, newline - semicolon - 1,
                        StandardCharsets.US_ASCII).replace(".", ""));
                long[] s = expected.computeIfAbsent(name, k -> new long[] {Long.MAX_VALUE, Long.MIN_VALUE, 0, 0});
                s[0] = Math.min(s[0], tenths);
                s[1] = Math.max(s[1], tenths);
                s[2] += tenths;
                s[3]++;
                lines++;
                p = newline + 1;
            }
            Map<String, List<Long>> partials = new TreeMap<>();
            expected.forEach((name, s) -> partials.put(name, List.of(s[0], s[1], s[2], s[3])));
            assertThat(chunk.lines()).as("%s: lines of chunk %d", what, id).isEqualTo(lines);
            assertThat(chunk.rows()).as("%s: rows of chunk %d", what, id).isEqualTo(lines);
            assertThat(chunk.rejects()).as("%s: rejects of chunk %d", what, id).isZero();
            assertThat(chunk.partials()).as("%s: partials (min, max, sum, count) of chunk %d", what, id)
                    .isEqualTo(partials);
        }
    }
}
