package parlab.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/** Test data shipped with the workbook, found from any module's working directory. */
public final class Datasets {
    private Datasets() {
    }

    /** The workbook's root folder: the nearest ancestor of the working directory holding {@code exercises.toml}. */
    public static Path root() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isRegularFile(dir.resolve("exercises.toml"))) {
                return dir;
            }
        }
        throw new IllegalStateException("cannot find the workbook's root (a folder with exercises.toml) above "
                + Path.of("").toAbsolutePath() + "; run the tests from inside the workbook");
    }

    /** The One Billion Row Challenge's sample inputs ({@code measurements-*.txt}), each with its expected {@code .out}. */
    public static List<Path> oneBrcSamples() {
        try (Stream<Path> files = Files.list(root().resolve("datasets/1brc-samples"))) {
            return files.filter(p -> p.getFileName().toString().endsWith(".txt")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The expected output of a 1BRC sample: {@code measurements-3.txt} to {@code measurements-3.out}. */
    public static String expectedOutput(Path sample) {
        String name = sample.getFileName().toString();
        try {
            return Files.readString(sample.resolveSibling(name.substring(0, name.length() - 4) + ".out")).strip();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
