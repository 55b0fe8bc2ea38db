package parlab.onebrc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GeneratorTest {
    private static final Pattern LINE = Pattern.compile("[^;\\n]{1,100};-?\\d{1,2}\\.\\d");
    private static final long ROWS = 3 * Generator.BLOCK_ROWS + 123;

    @TempDir
    Path dir;

    @Test
    void theFileDependsOnTheSeedNotOnTheThreads() throws Exception {
        Path one = dir.resolve("one.txt");
        Path three = dir.resolve("three.txt");
        new Generator(ROWS, 7, 500).write(one, 1, rows -> { });
        new Generator(ROWS, 7, 500).write(three, 3, rows -> { });
        Path other = dir.resolve("other.txt");
        new Generator(ROWS, 8, 500).write(other, 2, rows -> { });

        assertThat(Files.mismatch(one, three)).as("same seed, 1 vs 3 threads: first differing byte").isEqualTo(-1);
        assertThat(Files.mismatch(one, other)).as("seeds 7 and 8 give different files").isNotEqualTo(-1);
    }

    @Test
    void everyLineIsInTheChallengesFormat() throws Exception {
        Path file = dir.resolve("m.txt");
        Generator.Result result = new Generator(ROWS, 1, 10_000).write(file, 2, rows -> { });

        byte[] bytes = Files.readAllBytes(file);
        assertThat(result.bytes()).as("bytes reported").isEqualTo(bytes.length);
        String text = strictUtf8(bytes);
        List<String> lines = text.lines().toList();
        assertThat(lines).as("one line per row").hasSize((int) ROWS);
        assertThat(text).as("the file ends with a newline").endsWith("\n");
        Set<String> stations = new HashSet<>();
        for (String line : lines) {
            assertThat(LINE.matcher(line).matches()).as("line %s", line).isTrue();
            String name = line.substring(0, line.lastIndexOf(';'));
            assertThat(name.getBytes(StandardCharsets.UTF_8).length).as("bytes of %s", name).isLessThanOrEqualTo(100);
            assertThat(name).as("no padding").isEqualTo(name.strip());
            stations.add(name);
        }
        assertThat(stations).as("distinct stations").hasSizeGreaterThan(9_000).hasSizeLessThanOrEqualTo(10_000);
        assertThat(stations).as("some names outside ASCII")
                .anyMatch(n -> n.getBytes(StandardCharsets.UTF_8).length > n.length());
    }

    @Test
    void theExpectedResultBesideItIsTheOraclesAnswer() throws Exception {
        Path file = dir.resolve("measurements.txt");
        AtomicLong progress = new AtomicLong();
        Generator.Result result = new Generator(ROWS, 3, 40).write(file, 2, progress::set);

        assertThat(result.expected()).as("expected result file").isEqualTo(dir.resolve("measurements.out"));
        assertThat(Files.readString(result.expected()).strip()).as("expected result vs the oracle")
                .isEqualTo(Oracle.resultOf(file));
        assertThat(progress).as("last progress report").hasValue(ROWS);
        assertThat(result.rows()).as("rows").isEqualTo(ROWS);
    }

    @Test
    void zeroRowsIsAnEmptyFileWithAnEmptyResult() throws Exception {
        Path file = dir.resolve("empty.txt");
        new Generator(0, 1, 10).write(file, 2, rows -> { });
        assertThat(file).isEmptyFile();
        assertThat(Files.readString(Generator.expectedFile(file)).strip()).isEqualTo("{}");
    }

    @Test
    void badArgumentsAreRejected() {
        assertThatThrownBy(() -> new Generator(-1, 1, 10)).hasMessageContaining("rows");
        assertThatThrownBy(() -> new Generator(10, 1, 0)).hasMessageContaining("stations");
        assertThatThrownBy(() -> new Generator(10, 1, 10_001)).hasMessageContaining("10000");
    }

    private static String strictUtf8(byte[] bytes) throws CharacterCodingException {
        return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
    }
}
