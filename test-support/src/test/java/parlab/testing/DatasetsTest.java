package parlab.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Proves that {@link Datasets} finds the workbook and its 1BRC samples from a module's working directory. */
class DatasetsTest {

    @Test
    void theRootHoldsTheCatalog() {
        assertThat(Datasets.root().resolve("exercises.toml")).as("catalog at the root").isRegularFile();
    }

    @Test
    void everyOneBrcSampleHasItsExpectedOutput() {
        List<Path> samples = Datasets.oneBrcSamples();
        assertThat(samples).as("1BRC samples").isNotEmpty()
                .allSatisfy(s -> assertThat(s.getFileName().toString()).startsWith("measurements").endsWith(".txt"))
                .contains(Datasets.root().resolve("datasets/1brc-samples/measurements-1.txt"));
        for (Path sample : samples) {
            assertThat(Datasets.expectedOutput(sample)).as("expected output of %s", sample.getFileName())
                    .startsWith("{").endsWith("}");
        }
    }

    @Test
    void expectedOutputIsTheOutFileStripped() throws Exception {
        Path sample = Datasets.root().resolve("datasets/1brc-samples/measurements-1.txt");
        assertThat(Datasets.expectedOutput(sample)).as("expected output of measurements-1.txt")
                .isEqualTo(Files.readString(sample.resolveSibling("measurements-1.out")).strip());
    }
}
