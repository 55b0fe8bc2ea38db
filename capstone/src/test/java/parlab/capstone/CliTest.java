package parlab.capstone;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import parlab.testing.Datasets;

/**
 * The program as a user meets it: a good run prints the result and exits 0; every failure the user can fix is one
 * line on stderr with its own exit code.
 */
public class CliTest {
    @TempDir
    Path dir;

    /** What a run of the program in this JVM gave: its exit code, stdout and stderr. */
    public record Outcome(int code, String out, String err) {
    }

    public static Outcome run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code;
        try (PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
                PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8)) {
            code = CapstoneMain.run(args, o, e);
        }
        return new Outcome(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void aGoodRunPrintsTheResultAndEveryUserErrorIsOneLineWithItsOwnExitCode() throws Exception {
        Path sample = Datasets.root().resolve("datasets/1brc-samples/measurements-10.txt");
        Outcome ok = run("--input", sample.toString(), "--db-file", dir.resolve("ok.duckdb").toString(),
                "--chunk-size", "64", "--parallelism", "2");
        assertThat(ok.code()).as("exit code of a good run; stderr: %s", ok.err()).isZero();
        assertThat(ok.out().strip()).as("a good run prints the result").isEqualTo(Datasets.expectedOutput(sample));

        Path empty = Files.createFile(dir.resolve("empty.txt"));
        Path folder = Files.createDirectory(dir.resolve("folder.txt"));
        Path noFolder = dir.resolve("no/such/folder/x.duckdb");
        Set<Integer> codes = new HashSet<>(Set.of(0));
        check(run("--input", dir.resolve("missing.txt").toString()), ExitCode.INPUT_MISSING, "does not exist", codes);
        check(run("--input", empty.toString()), ExitCode.INPUT_EMPTY, "empty", codes);
        check(run("--input", folder.toString()), ExitCode.INPUT_UNREADABLE, "not a regular file", codes);
        check(run("--input", sample.toString(), "--bogus"), ExitCode.BAD_OPTION, "--bogus", codes);
        check(run("--input", sample.toString(), "--parallelism", "0"), ExitCode.BAD_OPTION, "parallelism", null);
        check(run("--input", sample.toString(), "--chunk-size", "lots"), ExitCode.BAD_OPTION, "lots", null);
        check(run("--input", sample.toString(), "--parallelism", "2", "--min-workers", "3"), ExitCode.BAD_OPTION,
                "--min-workers must be from 1 to --parallelism (2)", null);
        check(run("--input", sample.toString(), "--idle-timeout", "-1"), ExitCode.BAD_OPTION, "--idle-timeout", null);
        check(run(), ExitCode.BAD_OPTION, "--input", null);
        check(run("--input", sample.toString(), "--db", "jdbc:duckdb:" + noFolder), ExitCode.DATABASE_UNREACHABLE,
                "cannot open database", codes);
        check(run("--input", Datasets.root().resolve("datasets/1brc-samples/measurements-20.txt").toString(),
                "--db-file", dir.resolve("ok.duckdb").toString()), ExitCode.DATABASE_OF_ANOTHER_RUN,
                "another --db", codes);
        check(run("--input", sample.toString(), "--db-file", dir.resolve("ok.duckdb").toString(), "--chunk-size",
                "128"), ExitCode.DATABASE_OF_ANOTHER_RUN, "--chunk-size 64", null);
    }

    private static void check(Outcome outcome, ExitCode expected, String mentions, Set<Integer> codes) {
        assertThat(outcome.code()).as("exit code (stderr: %s)", outcome.err()).isEqualTo(expected.code());
        assertThat(outcome.err().strip().lines().count()).as("one line on stderr: %s", outcome.err()).isEqualTo(1);
        assertThat(outcome.err()).as("the message says what is wrong").contains(mentions);
        assertThat(outcome.out()).as("nothing on stdout on failure").isEmpty();
        if (codes != null) {
            assertThat(codes.add(outcome.code())).as("exit code %d is not shared with another kind of failure",
                    outcome.code()).isTrue();
        }
    }
}
