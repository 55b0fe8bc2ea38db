package parlab.lab;

import java.nio.file.Path;
import java.util.List;

/** One entry of {@code exercises.toml}. */
public record Exercise(
        String id,
        String code,
        String module,
        String packageName,
        String title,
        String difficulty,
        String note,
        List<String> hints,
        String benchmark,
        String baseline) {

    public Path packagePath() {
        return Path.of(packageName.replace('.', '/'));
    }

    public Path mainDir(Path root) {
        return root.resolve(module).resolve("src/main/java").resolve(packagePath());
    }

    /**
     * Plumbing shared by skeleton and reference (records, child mains, connections): compiled with either side and
     * never swapped, so it exists once.
     */
    public Path sharedDir(Path root) {
        return root.resolve(module).resolve("src/shared/java").resolve(packagePath());
    }

    public Path testDir(Path root) {
        return root.resolve(module).resolve("src/test/java").resolve(packagePath());
    }

    public Path testResourcesDir(Path root) {
        return root.resolve(module).resolve("src/test/resources").resolve(packagePath());
    }

    public Path benchDir(Path root) {
        return root.resolve(module).resolve("src/jmh/java").resolve(packagePath());
    }

    public Path solutionDir(Path root) {
        return root.resolve("solutions").resolve(module).resolve("src/main/java").resolve(packagePath());
    }

    /** Where the runner compiles this exercise: its own folder in the module's build output. */
    public Path buildDir(Path root) {
        return root.resolve(module).resolve("target/lab").resolve(id);
    }

    /** "s1e01 parallel-loops". */
    public String label() {
        return code + " " + id;
    }
}
