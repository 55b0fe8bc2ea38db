package parlab.lab;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import parlab.onebrc.Oracle;

class DataCommandTest {
    private final DataCommand.Count count = new DataCommand.Count();

    @Test
    void rowCountsReadAsPeopleWriteThem() {
        assertThat(count.convert("1000000")).isEqualTo(1_000_000L);
        assertThat(count.convert("1_000_000")).isEqualTo(1_000_000L);
        assertThat(count.convert("10k")).isEqualTo(10_000L);
        assertThat(count.convert("100M")).isEqualTo(100_000_000L);
        assertThat(count.convert("1B")).isEqualTo(1_000_000_000L);
        assertThatThrownBy(() -> count.convert("1X")).hasMessageContaining("not a row count");
        assertThatThrownBy(() -> count.convert("-5")).hasMessageContaining("not a row count");
    }

    @Test
    void writesTheFileAndItsExpectedResultAndNeverReplacesAFileUnasked(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("m.txt");
        assertThat(run("--rows", "20k", "--seed", "5", "--stations", "30", "--out", out.toString()))
                .as("exit status").isZero();
        assertThat(Files.readString(dir.resolve("m.out")).strip()).as("expected result vs the oracle")
                .isEqualTo(Oracle.resultOf(out));

        long before = Files.size(out);
        assertThat(run("--rows", "10", "--out", out.toString())).as("exit status when the file exists").isEqualTo(2);
        assertThat(Files.size(out)).as("the existing file is untouched").isEqualTo(before);
        assertThat(run("--rows", "10", "--out", out.toString(), "--force")).as("with --force").isZero();
        assertThat(Files.readAllLines(out)).hasSize(10);
    }

    private static int run(String... args) {
        return Main.commandLine(new DataCommand()).execute(args);
    }
}
