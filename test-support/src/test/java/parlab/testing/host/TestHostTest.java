package parlab.testing.host;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import parlab.testing.ChildJvm;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.ObjectReadContext;
import tools.jackson.core.json.JsonFactory;

/**
 * Runs {@link TestHost} as the lab runner does, in a child JVM, on test classes compiled here from source, and reads
 * its JSON-lines report: one {@code test} line per test with its status and failure kind, then {@code done}; or, when
 * a test calls {@code System.exit}, an {@code exit} line that names the test, and the JVM's exit status is the test's.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS) // a child JVM that loads JUnit takes seconds on a loaded machine
class TestHostTest {
    private static final long HOST_LIMIT_SECONDS = 45;

    @TempDir
    Path dir;

    @Test
    void reportsEveryTestWithItsStatusAndKindThenDone() throws Exception {
        Path classes = compile(Map.of(
                "parlab/hostsample/Skeleton.java", """
                        package parlab.hostsample;

                        final class Skeleton {
                            static int sum() {
                                throw new UnsupportedOperationException("TODO: sum the numbers");
                            }
                        }
                        """,
                "parlab/hostsample/HostSampleTest.java", """
                        package parlab.hostsample;

                        import static org.junit.jupiter.api.Assertions.assertEquals;

                        import org.junit.jupiter.api.Test;

                        class HostSampleTest {
                            @Test
                            void passes() {
                            }

                            @Test
                            void failsAnAssertion() {
                                assertEquals(10, 9, "sum of 1..4");
                            }

                            @Test
                            void isNotDoneYet() {
                                Skeleton.sum();
                            }

                            @Test
                            void throwsExceptionsThatCauseEachOther() {
                                RuntimeException a = new RuntimeException("a");
                                a.initCause(new RuntimeException("b", a));
                                throw a;
                            }

                            @Test
                            void leavesAThreadRunning() {
                                Thread.ofPlatform().name("left-running").daemon(true).start(() -> {
                                    try {
                                        Thread.sleep(60_000);
                                    } catch (InterruptedException e) {
                                        Thread.currentThread().interrupt();
                                    }
                                });
                            }
                        }
                        """));
        Path report = dir.resolve("report.jsonl");
        Process host = startHost(classes, report, "--wait");
        try (OutputStream in = host.getOutputStream()) {
            in.write("go\n".getBytes(StandardCharsets.UTF_8)); // what the runner writes once the exercise compiled
        }
        assertThat(exitStatus(host)).as("exit status of the test host (%s)", output(host)).isZero();

        List<Map<String, String>> lines = read(report);
        assertThat(lines).as("report lines").hasSize(6);
        assertThat(lines.getLast()).as("last line").containsEntry("type", "done");
        Map<String, Map<String, String>> tests = new LinkedHashMap<>();
        for (Map<String, String> line : lines.subList(0, 5)) {
            assertThat(line).as("a line before done").containsEntry("type", "test")
                    .containsEntry("class", "parlab.hostsample.HostSampleTest");
            tests.put(line.get("method"), line);
        }
        assertThat(tests).as("tests reported").containsOnlyKeys("passes", "failsAnAssertion", "isNotDoneYet",
                "throwsExceptionsThatCauseEachOther", "leavesAThreadRunning");
        assertThat(tests.get("passes")).as("line of the passing test")
                .containsEntry("name", "passes()")
                .containsEntry("status", "SUCCESSFUL")
                .doesNotContainKeys("kind", "message");
        assertThat(tests.get("failsAnAssertion")).as("line of the failed assertion")
                .containsEntry("status", "FAILED")
                .containsEntry("kind", "assertion")
                .containsEntry("message", "sum of 1..4 ==> expected: <10> but was: <9>");
        assertThat(tests.get("failsAnAssertion").get("trace")).as("trace of the failed assertion")
                .contains("at parlab.hostsample.HostSampleTest.failsAnAssertion(HostSampleTest.java:14)")
                .doesNotContain("org.junit");
        assertThat(tests.get("isNotDoneYet")).as("line of the test that hits the skeleton's TODO")
                .containsEntry("status", "FAILED")
                .containsEntry("kind", "todo")
                .containsEntry("message", "java.lang.UnsupportedOperationException: TODO: sum the numbers");
        assertThat(tests.get("isNotDoneYet").get("trace")).as("trace of the TODO")
                .contains("at parlab.hostsample.Skeleton.sum(Skeleton.java:5)")
                .contains("at parlab.hostsample.HostSampleTest.isNotDoneYet(HostSampleTest.java:19)");
        assertThat(tests.get("throwsExceptionsThatCauseEachOther")).as("line of a failure whose causes loop")
                .containsEntry("status", "FAILED")
                .containsEntry("kind", "error")
                .containsEntry("message", "java.lang.RuntimeException: a");
        assertThat(tests.get("leavesAThreadRunning")).as("line of the test that leaks a thread")
                .containsEntry("status", "FAILED")
                .containsEntry("kind", "leak");
        assertThat(tests.get("leavesAThreadRunning").get("message")).as("message of the leak")
                .contains("thread left-running is still running");
    }

    @Test
    void aTestThatCallsSystemExitIsNamedAndItsStatusIsTheJvms() throws Exception {
        Path classes = compile(Map.of(
                "parlab/hostsample/Quitter.java", """
                        package parlab.hostsample;

                        final class Quitter {
                            static void giveUp() {
                                System.exit(3);
                            }
                        }
                        """,
                "parlab/hostsample/ExitSampleTest.java", """
                        package parlab.hostsample;

                        import org.junit.jupiter.api.Test;

                        class ExitSampleTest {
                            @Test
                            void exitsTheJvm() {
                                Quitter.giveUp();
                            }
                        }
                        """));
        Path report = dir.resolve("report.jsonl");
        Process host = startHost(classes, report);
        assertThat(exitStatus(host)).as("exit status of the test host (%s)", output(host)).isEqualTo(3);

        List<Map<String, String>> lines = read(report);
        assertThat(lines).as("report lines").hasSize(1);
        assertThat(lines.getFirst()).as("the report of System.exit")
                .containsEntry("type", "exit")
                .containsEntry("test", "exitsTheJvm()");
        assertThat(lines.getFirst().get("trace")).as("where System.exit was called")
                .contains("at parlab.hostsample.Quitter.giveUp(Quitter.java:5)")
                .contains("at parlab.hostsample.ExitSampleTest.exitsTheJvm(ExitSampleTest.java:8)");
    }

    @Test
    void withoutGoTheHostEndsWithoutRunningAnything() throws Exception {
        Path classes = compile(Map.of("parlab/hostsample/NeverRunTest.java", """
                package parlab.hostsample;

                class NeverRunTest {
                    @org.junit.jupiter.api.Test
                    void wouldFail() {
                        throw new AssertionError("ran although the runner never said go");
                    }
                }
                """));
        Path report = dir.resolve("report.jsonl");
        Process host = startHost(classes, report, "--wait");
        host.getOutputStream().close(); // the runner went away
        assertThat(exitStatus(host)).as("exit status of the test host (%s)", output(host)).isZero();
        assertThat(read(report)).as("report of a host that was never told to go").isEmpty();
    }

    private Path compile(Map<String, String> sources) throws IOException {
        Path src = Files.createDirectories(dir.resolve("src"));
        Path classes = Files.createDirectories(dir.resolve("classes"));
        List<String> args = new ArrayList<>(List.of("-proc:none", "-d", classes.toString(),
                "-cp", System.getProperty("java.class.path")));
        for (Map.Entry<String, String> source : sources.entrySet()) {
            Path file = src.resolve(source.getKey());
            Files.createDirectories(file.getParent());
            Files.writeString(file, source.getValue());
            args.add(file.toString());
        }
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        ByteArrayOutputStream errors = new ByteArrayOutputStream();
        int status = javac.run(null, errors, errors, args.toArray(String[]::new));
        assertThat(status).as("javac status on the sample sources: %s", errors).isZero();
        return classes;
    }

    /** Starts the host as the runner does: the compiled tests join this JVM's class path. */
    private Process startHost(Path classes, Path report, String... options) throws IOException {
        List<String> command = new ArrayList<>(List.of(ChildJvm.javaBinary().toString(),
                "-XX:TieredStopAtLevel=1", "-Xshare:auto",
                "-cp", System.getProperty("java.class.path") + File.pathSeparator + classes,
                TestHost.class.getName(), report.toString(), classes.toString()));
        command.addAll(List.of(options));
        return new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("host-output.txt").toFile())
                .start();
    }

    private int exitStatus(Process host) throws InterruptedException {
        if (!host.waitFor(HOST_LIMIT_SECONDS, TimeUnit.SECONDS)) {
            ChildJvm.destroy(host.toHandle());
            throw new AssertionError("the test host did not end within " + HOST_LIMIT_SECONDS + " s: " + output(host));
        }
        return host.exitValue();
    }

    private String output(Process host) {
        try {
            return "its output: " + Files.readString(dir.resolve("host-output.txt"));
        } catch (IOException e) {
            return "no output: " + e;
        }
    }

    /** The report's lines, each a flat JSON object of strings. */
    private static List<Map<String, String>> read(Path report) throws IOException {
        List<Map<String, String>> lines = new ArrayList<>();
        for (String text : Files.readAllLines(report)) {
            assertThat(text).as("a line of the report").startsWith("{").endsWith("}");
            Map<String, String> line = new LinkedHashMap<>();
            try (JsonParser json = new JsonFactory().createParser(ObjectReadContext.empty(), text)) {
                assertThat(json.nextToken()).as("start of line %s", text).isEqualTo(JsonToken.START_OBJECT);
                for (String name = json.nextName(); name != null; name = json.nextName()) {
                    assertThat(json.nextToken()).as("value of %s in %s", name, text).isEqualTo(JsonToken.VALUE_STRING);
                    line.put(name, json.getString());
                }
                assertThat(json.currentToken()).as("end of line %s", text).isEqualTo(JsonToken.END_OBJECT);
                assertThat(json.nextToken()).as("anything after the object on line %s", text).isNull();
            }
            lines.add(line);
        }
        return lines;
    }
}
