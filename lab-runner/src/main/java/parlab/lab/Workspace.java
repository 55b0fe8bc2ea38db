package parlab.lab;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;

/** The workbook on disk: where the catalog, the modules, their class paths and the learner's files are. */
public final class Workspace {
    private final Path root;

    public Workspace(Path root) {
        this.root = root.toAbsolutePath().normalize();
    }

    /** The workbook folder: {@code -Dlab.root}, else the nearest folder above the working directory with a catalog. */
    public static Workspace locate() {
        String configured = System.getProperty("lab.root");
        if (configured != null) {
            return new Workspace(Path.of(configured));
        }
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isRegularFile(dir.resolve("exercises.toml"))) {
                return new Workspace(dir);
            }
        }
        throw new LabException("cannot find exercises.toml here or above: run ./lab from the workbook's folder");
    }

    public Path root() {
        return root;
    }

    public Path catalogFile() {
        return root.resolve("exercises.toml");
    }

    /**
     * The test class path of a module (its dependencies, test-support included), written by the build that
     * {@code ./lab} runs on first use.
     */
    public List<Path> moduleClasspath(String module) {
        return classpathFile(module, "lab-classpath.txt");
    }

    /** The runtime class path of a program's module (its dependencies without the test libraries). */
    public List<Path> moduleRuntimeClasspath(String module) {
        return classpathFile(module, "lab-runtime-classpath.txt");
    }

    private List<Path> classpathFile(String module, String name) {
        Path file = root.resolve(module).resolve("target").resolve(name);
        if (!Files.isRegularFile(file)) {
            throw new LabException("the build output of " + module + " is missing (" + root.relativize(file)
                    + "). Run ./lab again (it rebuilds what is missing), or ./mvnw -q -DskipTests package.");
        }
        try {
            String text = Files.readString(file).strip();
            List<Path> entries = new ArrayList<>();
            for (String entry : text.split(java.io.File.pathSeparator)) {
                if (!entry.isBlank()) {
                    entries.add(Path.of(entry));
                }
            }
            return entries;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The Java files under a folder, sorted; none if it does not exist. */
    public static List<Path> javaFiles(Path dir) {
        return files(dir).stream().filter(p -> p.toString().endsWith(".java")).toList();
    }

    /** The Java files directly in a folder (not in its sub-folders), sorted; none if it does not exist. */
    public static List<Path> javaFilesIn(Path dir) {
        return javaFiles(dir).stream().filter(p -> dir.equals(p.getParent())).toList();
    }

    /** A module's resources shared by both sides ({@code src/shared/resources}: logging set-up, web pages), if any. */
    public List<Path> sharedResources(String module) {
        Path dir = root.resolve(module).resolve("src/shared/resources");
        return Files.isDirectory(dir) ? List.of(dir) : List.of();
    }

    public static List<Path> files(Path dir) {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            return walk.filter(Files::isRegularFile).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The main sources one side of an exercise compiles: its own folder and the plumbing both sides share. */
    public List<Path> mainSources(Exercise exercise, Checker.Side side) {
        List<Path> sources = new ArrayList<>(javaFiles(side == Checker.Side.LEARNER ? exercise.mainDir(root)
                : exercise.solutionDir(root)));
        sources.addAll(javaFiles(exercise.sharedDir(root)));
        return sources;
    }

    /** The learner's files of an exercise: its skeleton and its tests. */
    public List<Path> learnerFiles(Exercise exercise) {
        List<Path> files = new ArrayList<>(files(exercise.mainDir(root)));
        files.addAll(files(exercise.testDir(root)));
        return files;
    }

    /** A hash of the exercise's files, so a recorded result is trusted only for the files it was checked with. */
    public String hash(Exercise exercise) {
        return digest(root, learnerFiles(exercise));
    }

    /** A short hash of files' names (relative to {@code base}) and contents. */
    public static String digest(Path base, List<Path> files) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            for (Path file : files) {
                digest.update(base.relativize(file).toString().getBytes(StandardCharsets.UTF_8));
                digest.update((byte) 0);
                digest.update(Files.readAllBytes(file));
            }
            return HexFormat.of().formatHex(digest.digest(), 0, 12);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    public String relative(Path path) {
        return root.relativize(path.toAbsolutePath()).toString();
    }
}
