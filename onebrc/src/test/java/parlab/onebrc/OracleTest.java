package parlab.onebrc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import parlab.testing.Datasets;

class OracleTest {
    static Stream<Path> samples() {
        return Datasets.oneBrcSamples().stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("samples")
    void agreesWithTheChallengesOwnExpectedOutput(Path sample) throws Exception {
        assertThat(Oracle.resultOf(sample)).as("the oracle on %s", sample.getFileName())
                .isEqualTo(Datasets.expectedOutput(sample));
    }

    @Test
    void aMalformedLineIsNamedWithItsNumber(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("bad.txt"), "Oslo;1.0\nOslo;12\n");
        assertThatThrownBy(() -> Oracle.resultOf(file)).hasMessageContaining("bad.txt:2")
                .hasMessageContaining("Oslo;12");
    }

    @Test
    void meansRoundHalfUpLikeTheChallenge() {
        Stats stats = new Stats();
        stats.add(-1);
        stats.add(-2); // mean -0.15 -> -0.1 (half up, towards positive infinity)
        assertThat(stats).hasToString("-0.2/-0.1/-0.1");
        Stats zero = new Stats();
        zero.add(-4);
        zero.add(4);
        assertThat(zero).as("no negative zero").hasToString("-0.4/0.0/0.4");
    }
}
