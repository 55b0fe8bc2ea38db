package parlab.lab;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * Proves the workbook honest: every exercise's tests fail on its skeleton for the intended reason (a TODO or an
 * assertion, never a compile error, a crash or a hang) and pass on its reference solution; every note's JShell
 * script runs. Ends with {@code N passed, N failed}.
 */
@Command(name = "verify", description = "Prove every exercise: its tests fail on the skeleton (for the intended "
        + "reason) and pass on the reference solution; run every note's JShell script.")
final class VerifyCommand implements Callable<Integer> {
    private static final Set<String> INTENDED = Set.of("todo", "assertion");

    @Parameters(paramLabel = "<exercise>", description = "only these exercises (default: all, and the notes)")
    List<String> ids = new ArrayList<>();

    @Override
    public Integer call() {
        PrintStream out = Main.OUT;
        int passed = 0;
        int failed = 0;
        try (Lab lab = Main.open()) {
            Ui ui = lab.ui();
            List<Exercise> exercises = ids.isEmpty() ? lab.catalog().all()
                    : ids.stream().map(lab.catalog()::require).toList();
            for (Exercise exercise : exercises) {
                List<String> problems = new ArrayList<>(catalogProblems(lab.workspace(), exercise));
                CheckResult skeleton = lab.checker().check(exercise, Checker.Side.LEARNER);
                problems.addAll(skeletonProblems(skeleton));
                CheckResult solution = lab.checker().check(exercise, Checker.Side.SOLUTION);
                if (skeleton.outcome() != CheckResult.Outcome.COMPILE_ERROR
                        && solution.outcome() != CheckResult.Outcome.COMPILE_ERROR) {
                    problems.addAll(apiProblems(lab, exercise));
                }
                if (!solution.passed()) {
                    problems.add("the reference solution does not pass:");
                }
                String line = String.format("%-6s %-" + lab.catalog().idWidth()
                        + "s skeleton: %s · solution: %d/%d pass  %s", exercise.code(), exercise.id(),
                        skeletonSummary(skeleton), solution.passedCount(), solution.tests().size(),
                        ui.dim(Ui.seconds(skeleton.elapsed().plus(solution.elapsed()))));
                if (problems.isEmpty()) {
                    passed++;
                    out.println(ui.green("✓ ") + line);
                } else {
                    failed++;
                    out.println(ui.red("✗ ") + line);
                    problems.forEach(p -> out.println("    " + ui.red(p)));
                    if (!solution.passed()) {
                        ui.printResult(out, solution);
                    }
                }
            }
            if (ids.isEmpty()) {
                for (Path script : Notes.scripts(lab.workspace())) {
                    long start = System.nanoTime();
                    Notes.Result result = Notes.run(script);
                    String time = ui.dim(Ui.seconds(java.time.Duration.ofNanos(System.nanoTime() - start)));
                    String name = lab.workspace().relative(script);
                    if (result.ok()) {
                        passed++;
                        out.println(ui.green("✓ ") + String.format("%-45s", name) + " runs  " + time);
                    } else {
                        failed++;
                        out.println(ui.red("✗ ") + String.format("%-45s", name) + " " + result.problem() + "  " + time);
                        result.output().lines().skip(Math.max(0, result.output().lines().count() - 10))
                                .forEach(l -> out.println(ui.dim("    | " + l)));
                    }
                }
            }
        }
        out.println();
        out.println(passed + " passed, " + failed + " failed");
        return failed == 0 ? 0 : 1;
    }

    private static String skeletonSummary(CheckResult skeleton) {
        if (skeleton.tests().isEmpty()) {
            return skeleton.outcome().name().toLowerCase().replace('_', ' ');
        }
        Map<String, Integer> kinds = new TreeMap<>();
        skeleton.failures().forEach(f -> kinds.merge(f.kind(), 1, Integer::sum));
        return skeleton.failures().size() + "/" + skeleton.tests().size() + " fail " + kinds;
    }

    /** On the skeleton, every test must fail, and only because the work is not done. */
    static List<String> skeletonProblems(CheckResult skeleton) {
        List<String> problems = new ArrayList<>();
        switch (skeleton.outcome()) {
            case COMPILE_ERROR -> problems.add("the skeleton does not compile with its tests: "
                    + skeleton.compileErrors().getFirst().lines().findFirst().orElse(""));
            case CRASHED, NO_TESTS -> problems.add("on the skeleton: " + skeleton.problem().lines().findFirst().orElse(""));
            case PASSED -> problems.add("every test passes on the skeleton: the tests cannot fail");
            case FAILED -> { }
        }
        for (CheckResult.TestOutcome test : skeleton.tests()) {
            if (test.passed()) {
                problems.add("passes on the skeleton (a test that cannot fail): " + Ui.testName(test));
            } else if (!INTENDED.contains(test.kind())) {
                problems.add("fails on the skeleton for an unintended reason (" + test.kind() + "): "
                        + Ui.testName(test) + ": " + test.message().lines().findFirst().orElse(""));
            }
        }
        return problems;
    }

    /** Skeleton and reference offer the same public API (read from the classes the two checks compiled). */
    private static List<String> apiProblems(Lab lab, Exercise exercise) {
        var skeleton = PublicApi.of(lab.checker().classesDir(exercise, Checker.Side.LEARNER), exercise,
                lab.workspace().mainSources(exercise, Checker.Side.LEARNER));
        var reference = PublicApi.of(lab.checker().classesDir(exercise, Checker.Side.SOLUTION), exercise,
                lab.workspace().mainSources(exercise, Checker.Side.SOLUTION));
        return PublicApi.differences(skeleton, reference).stream().limit(10).toList();
    }

    /** The catalog entry points at real files. */
    static List<String> catalogProblems(Workspace workspace, Exercise e) {
        Path root = workspace.root();
        List<String> problems = new ArrayList<>();
        if (Workspace.javaFiles(e.mainDir(root)).isEmpty()) {
            problems.add("no skeleton at " + workspace.relative(e.mainDir(root)));
        }
        if (Workspace.javaFiles(e.testDir(root)).isEmpty()) {
            problems.add("no tests at " + workspace.relative(e.testDir(root)));
        }
        if (Workspace.javaFiles(e.solutionDir(root)).isEmpty()) {
            problems.add("no reference solution at " + workspace.relative(e.solutionDir(root)));
        }
        if (e.hints().isEmpty()) {
            problems.add("no hint in exercises.toml");
        }
        if (e.note() == null || !Files.isRegularFile(root.resolve(e.note()))) {
            problems.add("its note " + e.note() + " does not exist");
        }
        if (e.benchmark() != null) {
            Path bench = root.resolve(e.module()).resolve("src/jmh/java")
                    .resolve(e.benchmark().replace('.', '/') + ".java");
            if (!Files.isRegularFile(bench)) {
                problems.add("its benchmark " + e.benchmark() + " is not at " + workspace.relative(bench));
            }
            if (e.baseline() == null) {
                problems.add("its benchmark has no baseline in exercises.toml");
            }
        }
        return problems;
    }
}
