package parlab.lab;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The checker end to end, on a scratch workbook: the learner's code runs in a child JVM, and whatever it does
 * (fail, deadlock, exit, not compile) comes back as a result in words while this JVM lives on. Each test starts
 * test JVMs and compiles, so on a loaded machine one takes well over the default time limit.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class CheckerTest {
    @TempDir
    Path root;

    private Lab lab;

    private static final String TEST = """
            package demo.calc;

            import static org.assertj.core.api.Assertions.assertThat;
            import org.junit.jupiter.api.Test;

            class CalcTest {
                @Test
                void addsTwoNumbers() {
                    assertThat(Calc.add(2, 3)).as("2 + 3").isEqualTo(5);
                }

                @Test
                void addsNegativeNumbers() {
                    assertThat(Calc.add(-2, -3)).as("-2 + -3").isEqualTo(-5);
                }
            }
            """;

    @BeforeEach
    void scratchWorkbook() throws IOException {
        Files.writeString(root.resolve("exercises.toml"), """
                [[exercise]]
                id = "calc"
                code = "s9e01"
                module = "demo"
                package = "demo.calc"
                title = "Adding up"
                note = "notes/calc.md"
                hints = ["Use +.", "Really, use +."]
                """);
        Files.createDirectories(root.resolve("demo/target"));
        Files.writeString(root.resolve("demo/target/lab-classpath.txt"), System.getProperty("java.class.path"));
        write("demo/src/test/java/demo/calc/CalcTest.java", TEST);
        write("solutions/demo/src/main/java/demo/calc/Calc.java", calc("return a + b;"));
        lab = new Lab(new Workspace(root), new Ui(false));
    }

    @AfterEach
    void close() {
        lab.close();
    }

    private void write(String path, String text) throws IOException {
        Path file = root.resolve(path);
        Files.createDirectories(file.getParent());
        Files.writeString(file, text);
    }

    private static String calc(String body) {
        return """
                package demo.calc;

                public final class Calc {
                    public static int add(int a, int b) {
                        %s
                    }
                }
                """.formatted(body);
    }

    private CheckResult checkLearner(String body) throws IOException {
        write("demo/src/main/java/demo/calc/Calc.java", calc(body));
        return lab.checkAndRecord(lab.catalog().require("calc"));
    }

    @Test
    void aCorrectAnswerPassesAndIsRecorded() throws IOException {
        CheckResult result = checkLearner("return a + b;");
        assertThat(result.outcome()).isEqualTo(CheckResult.Outcome.PASSED);
        assertThat(result.tests()).hasSize(2);
        assertThat(lab.isDone(lab.catalog().require("calc"))).as("recorded as done").isTrue();
    }

    @Test
    void aTodoIsReportedAsNotDoneYet() throws IOException {
        CheckResult result = checkLearner("throw new UnsupportedOperationException(\"TODO: add\");");
        assertThat(result.outcome()).isEqualTo(CheckResult.Outcome.FAILED);
        assertThat(result.failures()).hasSize(2).allMatch(f -> f.kind().equals("todo"));
        assertThat(VerifyCommand.skeletonProblems(result)).as("a TODO skeleton is what verify wants").isEmpty();
    }

    @Test
    void aWrongAnswerFailsWithTheAssertionsDescription() throws IOException {
        CheckResult result = checkLearner("return a - b;");
        assertThat(result.failures()).hasSize(2).allMatch(f -> f.kind().equals("assertion"));
        assertThat(result.failures().getFirst().message()).contains("2 + 3");
    }

    @Test
    void theFileToEditIsTheOneTheFailureIsAbout() throws IOException {
        write("demo/src/main/java/demo/calc/Abacus.java", "package demo.calc;\n\npublic final class Abacus {\n}\n");
        Exercise calc = lab.catalog().require("calc");
        assertThat(lab.fileToEdit(calc, checkLearner("return a - b;"))).as("after CalcTest failed")
                .isEqualTo("demo/src/main/java/demo/calc/Calc.java");
        assertThat(lab.fileToEdit(calc, checkLearner("return Math.addExact(a, b) / 0;")))
                .as("after Calc.add threw").isEqualTo("demo/src/main/java/demo/calc/Calc.java");
        assertThat(lab.fileToEdit(calc, null)).as("before any check: the first file").endsWith("Abacus.java");
    }

    @Test
    void aCompileErrorNamesTheFileAndLine() throws IOException {
        CheckResult result = checkLearner("return a +;");
        assertThat(result.outcome()).isEqualTo(CheckResult.Outcome.COMPILE_ERROR);
        assertThat(result.compileErrors().getFirst()).contains("demo/src/main/java/demo/calc/Calc.java:5");
        assertThat(VerifyCommand.skeletonProblems(result)).as("verify rejects a skeleton that does not compile")
                .isNotEmpty();
    }

    @Test
    void systemExitInLearnerCodeIsReportedNotPassed() throws IOException {
        CheckResult result = checkLearner("System.exit(0); return 0;");
        assertThat(result.outcome()).isEqualTo(CheckResult.Outcome.CRASHED);
        assertThat(result.problem()).contains("System.exit").contains("Calc.add");
        assertThat(VerifyCommand.skeletonProblems(result)).isNotEmpty();
    }

    @Test
    void aDeadlockIsNamedWithItsThreads() throws IOException {
        CheckResult result = checkLearner("""
                Object x = new Object(), y = new Object();
                        var both = new java.util.concurrent.CountDownLatch(2);
                        Runnable xy = () -> { synchronized (x) { both.countDown(); await(both); synchronized (y) { } } };
                        Runnable yx = () -> { synchronized (y) { both.countDown(); await(both); synchronized (x) { } } };
                        Thread t1 = new Thread(xy, "left"), t2 = new Thread(yx, "right");
                        t1.start(); t2.start();
                        try { t1.join(); t2.join(); } catch (InterruptedException e) { throw new RuntimeException(e); }
                        return a + b;
                    }

                    static void await(java.util.concurrent.CountDownLatch latch) {
                        try { latch.await(); } catch (InterruptedException e) { Thread.currentThread().interrupt(); }""");
        assertThat(result.failures()).as("named by the watchdog (kind deadlock), not caught by the time limit")
                .isNotEmpty().allMatch(f -> f.kind().equals("deadlock"));
        assertThat(result.failures().getFirst().message())
                .contains("deadlock: ").contains("left").contains("right").contains("waits for");
    }

    @Test
    void anEndlessLoopIsStoppedAndTheRemainingTestsAreCancelled() throws IOException {
        System.setProperty("lab.test.timeout", "2 s");
        try {
            CheckResult result = checkLearner("while (a != b || a == b) { Thread.onSpinWait(); } return 0;");
            assertThat(result.outcome()).isEqualTo(CheckResult.Outcome.FAILED);
            assertThat(result.failures()).as("only the first test runs into the time limit").hasSize(1)
                    .allMatch(f -> f.kind().equals("timeout"));
            assertThat(result.failures().getFirst().message()).as("where the stuck thread stood").contains("Calc.add");
            assertThat(result.problem()).contains("hung").contains("not run");
        } finally {
            System.clearProperty("lab.test.timeout");
        }
    }

    @Test
    void runningOutOfMemoryIsReportedAsSuch() throws IOException {
        CheckResult result = checkLearner("""
                var hoard = new java.util.ArrayList<long[]>();
                        while (true) { hoard.add(new long[1 << 20]); }""");
        assertThat(result.outcome()).isEqualTo(CheckResult.Outcome.CRASHED);
        assertThat(result.problem()).contains("OutOfMemoryError").contains("Calc.add");
    }

    @Test
    void theReferenceSolutionIsCheckedApart() throws IOException {
        write("demo/src/main/java/demo/calc/Calc.java", calc("throw new UnsupportedOperationException(\"TODO\");"));
        CheckResult result = lab.checker().check(lab.catalog().require("calc"), Checker.Side.SOLUTION);
        assertThat(result.outcome()).isEqualTo(CheckResult.Outcome.PASSED);
        assertThat(lab.state().get(lab.catalog().require("calc")).checkedAt()).as("the learner's progress").isNull();
    }
}
