package parlab.lab;

import java.nio.file.Path;
import java.util.List;

/**
 * One entry of {@code exercises.toml}. Exercises may share a module and a package (the capstone's milestones do):
 * then each names its test classes ({@code tests}) and its skeleton files ({@code files}), and one that names none
 * runs the package's other test classes and owns its other files ({@code otherTests} and {@code otherFiles} list
 * those the others own). Owning a file means it is the one to edit, the one reset restores and the one shown beside
 * the reference.
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
        List<String> otherTests,
        List<String> files,
        List<String> otherFiles) {

    public Exercise {
        tests = tests == null ? List.of() : List.copyOf(tests);
        otherTests = otherTests == null ? List.of() : List.copyOf(otherTests);
        files = files == null ? List.of() : List.copyOf(files);
        otherFiles = otherFiles == null ? List.of() : List.copyOf(otherFiles);
    }

    /** An exercise that owns every test class of its package. */
    public Exercise(String id, String code, String module, String packageName, String title, String difficulty,
            String note, List<String> hints, String benchmark, String baseline) {
        this(id, code, module, packageName, title, difficulty, note, hints, benchmark, baseline, List.of(),
                List.of(), List.of(), List.of());
    }

    /** Whether the skeleton (or reference) file {@code file} of the package is this exercise's. */
    public boolean owns(Path file) {
        String name = file.getFileName().toString();
        return files.isEmpty() ? !otherFiles.contains(name) : files.contains(name);
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
