package parlab.capstone.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static parlab.capstone.CliTest.run;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import parlab.capstone.CapstoneMain;
import parlab.capstone.CliTest.Outcome;
import parlab.capstone.ExitCode;
import parlab.testing.Datasets;

/**
 * {@code --config capstone.toml}: every option can come from the file, the command line wins, and every mistake in
 * the file is one line that names the key and the file, with the config's own exit codes.
 */
class ConfigFileTest {
    private static final Path SAMPLE = Datasets.root().resolve("datasets/1brc-samples/measurements-10.txt");

    @TempDir
    Path dir;

    private Path config(String name, String text) throws Exception {
        return Files.writeString(dir.resolve(name), text);
    }

    @Test
    void theFileSetsTheOptionsAndTheCommandLineWins() throws Exception {
        Files.copy(SAMPLE, dir.resolve("m.txt"));
        Path file = config("capstone.toml", """
                # paths are relative to this file's folder
                input = "m.txt"
                db-file = "from-file.duckdb"
                parallelism = 2
                chunk-size = "64"
                progress = true
                """);
        Outcome fromFile = run("--config", file.toString());
        assertThat(fromFile.code()).as("exit code of a run configured by the file (stderr: %s)", fromFile.err()).isZero();
        assertThat(fromFile.out().strip()).as("the result").isEqualTo(Datasets.expectedOutput(SAMPLE));
        assertThat(fromFile.err()).as("progress = true prints a line per committed chunk (64-byte chunks: 2)")
                .contains("committed chunk ").contains("(1/2)").contains("(2/2)");
        assertThat(dir.resolve("from-file.duckdb")).as("db-file of the file, next to the file").exists();

        Outcome overridden = run("--config", file.toString(), "--no-progress", "--db-file",
                dir.resolve("from-cli.duckdb").toString(), "--chunk-size", "100");
        assertThat(overridden.code()).as("exit code with options over the file (stderr: %s)", overridden.err()).isZero();
        assertThat(overridden.out().strip()).as("the result").isEqualTo(Datasets.expectedOutput(SAMPLE));
        assertThat(overridden.err()).as("--no-progress wins over progress = true").doesNotContain("committed chunk");
        assertThat(dir.resolve("from-cli.duckdb")).as("--db-file wins over the file's db-file").exists();

        Outcome flagOn = run("--config", config("quiet.toml", "progress = false\n").toString(), "--input",
                SAMPLE.toString(), "--db-file", dir.resolve("flag.duckdb").toString(), "--progress");
        assertThat(flagOn.err()).as("--progress wins over progress = false").contains("committed chunk");
    }

    @Test
    void everyKeyOfTheCommentedSampleIsAnOptionOfTheProgramWithAValueOfItsType() throws Exception {
        String uncommented = Files.readString(Path.of("capstone.toml.example")).lines()
                .map(line -> line.matches("# [a-z-]+ = .*") ? line.substring(2) : line)
                .collect(java.util.stream.Collectors.joining("\n"));
        assertThat(uncommented).as("the sample, uncommented").contains("idle-timeout = ").contains("workers = ");
        ConfigFile file = ConfigFile.load(config("all.toml", uncommented),
                CapstoneMain.commandSpec());
        assertThat(file).as("the sample's keys and values, every one uncommented, load").isNotNull();
    }

    @Test
    void everyMistakeInTheFileIsOneLineNamingTheKeyAndTheFileWithItsOwnExitCode() throws Exception {
        Set<Integer> codes = new HashSet<>(Set.of(ExitCode.OK.code(), ExitCode.BAD_OPTION.code(),
                ExitCode.INPUT_MISSING.code(), ExitCode.INPUT_EMPTY.code(), ExitCode.INPUT_UNREADABLE.code(),
                ExitCode.DATABASE_UNREACHABLE.code(), ExitCode.DATABASE_OF_ANOTHER_RUN.code()));
        String input = SAMPLE.toString();
        check(run("--config", config("a.toml", "paralelism = 2\n").toString(), "--input", input), ExitCode.BAD_CONFIG,
                codes, "unknown key 'paralelism'", "a.toml", "parallelism");
        check(run("--config", config("b.toml", "parallelism = \"two\"\n").toString(), "--input", input),
                ExitCode.BAD_CONFIG, null, "key 'parallelism'", "b.toml", "integer");
        check(run("--config", config("c.toml", "progress = \"yes\"\n").toString(), "--input", input),
                ExitCode.BAD_CONFIG, null, "key 'progress'", "c.toml", "true or false");
        check(run("--config", config("d.toml", "db = 42\n").toString(), "--input", input), ExitCode.BAD_CONFIG, null,
                "key 'db'", "d.toml", "string");
        check(run("--config", config("e.toml", "chunk-size = \"lots\"\n").toString(), "--input", input),
                ExitCode.BAD_CONFIG, null, "key 'chunk-size'", "e.toml", "lots");
        check(run("--config", config("f.toml", "parallelism = 2\nthis is not toml\n").toString(), "--input", input),
                ExitCode.BAD_CONFIG, null, "f.toml", "not valid TOML", "line 2");
        check(run("--config", config("h.toml", "idle-timeout = \"soon\"\n").toString(), "--input", input),
                ExitCode.BAD_CONFIG, null, "key 'idle-timeout'", "h.toml", "a number");
        check(run("--config", config("g.toml", "[http]\nport = 9464\n").toString(), "--input", input),
                ExitCode.BAD_CONFIG, null, "unknown key 'http'", "g.toml");
        check(run("--config", dir.resolve("missing.toml").toString(), "--input", input), ExitCode.CONFIG_MISSING,
                codes, "missing.toml", "does not exist", "capstone.toml.example");
        check(run("--input", input, "--http-port", "lots"), ExitCode.BAD_OPTION, null, "--http-port", "lots");
    }

    @Test
    void theKeysAreTheLongOptionsSoANewOptionIsAKeyAtOnce() {
        var keys = ConfigFile.keys(CapstoneMain.commandSpec()).keySet();
        assertThat(keys).as("config keys").contains("input", "db", "db-file", "parallelism", "chunk-size",
                "max-in-flight", "progress", "bar", "http-port", "http-host", "keep-serving", "log-file",
                "log-level").doesNotContain("config", "help", "version");
    }

    @Test
    void theCommentedSampleHasOnlyKeysTheProgramKnows() throws Exception {
        Path sample = Path.of("capstone.toml.example");
        assertThat(sample).as("the commented sample beside the module's pom").exists();
        String uncommented = Files.readString(sample).replaceAll("(?m)^# ?(?=[a-z-]+ = )", "");
        Path all = config("all.toml", uncommented.replace("input = \"measurements.txt\"", "input = \""
                + SAMPLE.toString().replace("\\", "\\\\") + "\"").replace("http-port = 9464", "http-port = \"off\"")
                .replace("keep-serving = true", "keep-serving = false"));
        var spec = CapstoneMain.commandSpec();
        assertThat(ConfigFile.load(all, spec).values()).as("every key of the sample, uncommented, is read")
                .containsKeys("input", "parallelism", "chunk-size", "max-in-flight", "http-port", "http-host");
    }

    private static void check(Outcome outcome, ExitCode expected, Set<Integer> codes, String... mentions) {
        assertThat(outcome.code()).as("exit code (stderr: %s)", outcome.err()).isEqualTo(expected.code());
        assertThat(outcome.err().strip().lines().count()).as("one line on stderr: %s", outcome.err()).isEqualTo(1);
        assertThat(outcome.err()).as("the message says what and where").contains(mentions);
        assertThat(outcome.out()).as("nothing on stdout on failure").isEmpty();
        if (codes != null) {
            assertThat(codes.add(outcome.code())).as("exit code %d is not shared with another kind of failure",
                    outcome.code()).isTrue();
        }
    }
}
