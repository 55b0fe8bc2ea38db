package parlab.lab;

import java.nio.file.Path;
import java.util.List;

/**
 * One entry of {@code exercises.toml}. Exercises may share a module and a package (the capstone's milestones do):
 * then each names its test classes ({@code tests}), and one that names none runs the package's other test classes
 * ({@code otherTests} lists those the others own).
 */
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
        String baseline,
        List<String> tests,
        List<String> otherTests) {

    public Exercise {
        tests = tests == null ? List.of() : List.copyOf(tests);
        otherTests = otherTests == null ? List.of() : List.copyOf(otherTests);
    }

    /** An exercise that owns every test class of its package. */
    public Exercise(String id, String code, String module, String packageName, String title, String difficulty,
            String note, List<String> hints, String benchmark, String baseline) {
        this(id, code, module, packageName, title, difficulty, note, hints, benchmark, baseline, List.of(),
                List.of());
    }

    /** The test classes this exercise runs, by qualified name; empty means all of its package but {@link #excludedTestClasses}. */
    public List<String> includedTestClasses() {
        return tests.stream().map(t -> packageName + "." + t).toList();
    }

    /** Test classes of the package that other exercises run, by qualified name. */
    public List<String> excludedTestClasses() {
        return tests.isEmpty() ? otherTests.stream().map(t -> packageName + "." + t).toList() : List.of();
    }

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
