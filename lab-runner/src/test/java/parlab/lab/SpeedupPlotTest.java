package parlab.lab;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SpeedupPlotTest {
    private static final byte[] PNG = {(byte) 0x89, 'P', 'N', 'G'};

    private static Exercise exercise(String baseline) {
        return new Exercise("loops", "s9e01", "stage9", "parlab.loops", "Loops", "easy", "notes/x.md", List.of(),
                "parlab.loops.LoopsBenchmark", baseline);
    }

    private static BenchCommand.Row row(String method, String threads, double msPerOp) {
        return new BenchCommand.Row(method, Map.of("threads", threads), msPerOp, 1.0, "ms/op", false);
    }

    @Test
    void aNumericBaselineGivesASpeedupCurveAndAnEfficiencyCurve(@TempDir Path dir) throws Exception {
        List<Path> plots = SpeedupPlot.write(dir, exercise("threads=1"),
                List.of(row("sum", "1", 100), row("sum", "2", 55), row("sum", "4", 40)),
                List.of(row("sum", "1", 100), row("sum", "2", 51), row("sum", "4", 30)));

        assertThat(plots).as("plots written").extracting(p -> p.getFileName().toString())
                .containsExactly("speedup.png", "efficiency.png");
        for (Path plot : plots) {
            assertThat(Files.readAllBytes(plot)).as("%s is a PNG", plot).startsWith(PNG);
        }
    }

    @Test
    void aBaselineMethodGivesOneBarChart(@TempDir Path dir) throws Exception {
        List<Path> plots = SpeedupPlot.write(dir, exercise("sequential"),
                List.of(row("sequential", "2", 100), row("parallel", "2", 50)), null);

        assertThat(plots).as("plots written").extracting(p -> p.getFileName().toString())
                .containsExactly("speedup.png");
        assertThat(Files.readAllBytes(plots.getFirst())).as("a PNG").startsWith(PNG);
    }

    @Test
    void noBaselineNoPlot(@TempDir Path dir) {
        assertThat(SpeedupPlot.write(dir, exercise(null), List.of(row("sum", "1", 100)), null)).isEmpty();
    }
}
