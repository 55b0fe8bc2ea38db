package parlab.lab;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Checks an exercise: compiles its package with its tests in this JVM, then runs the tests in a child JVM
 * (the test host), so that learner code that deadlocks, spins, leaks threads, calls {@code System.exit} or runs
 * out of memory can only take that child down. The child is started before compiling and waits for a go, so its
 * start-up overlaps the compilation; in watch mode the next one is started as soon as a check ends.
 */
public final class Checker implements AutoCloseable {
    /** Which implementation is checked against the tests. */
    public enum Side { LEARNER, SOLUTION }

    private static final Duration RUN_LIMIT = Duration.ofSeconds(180);
    private static final List<String> HOST_FLAGS = List.of("-XX:+EnableDynamicAgentLoading", "-Xmx512m", "-Xss1m",
            "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC");
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final AtomicLong RUNS = new AtomicLong();

    private final Workspace workspace;
    private final Compiler compiler;
    private Host warm;
    /** Test JVMs at work now; killed on close, so quitting never waits for learner code. */
    private final java.util.Set<Host> running = java.util.concurrent.ConcurrentHashMap.newKeySet();

    public Checker(Workspace workspace) {
        this.workspace = workspace;
        this.compiler = new Compiler(workspace);
        // Ctrl-C or a kill ends the runner: its test JVMs go with it.
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            Host spare = warm;
            if (spare != null) {
                spare.kill();
            }
            running.forEach(Host::kill);
        }, "lab-cleanup"));
    }

    /** A started test host, waiting for its go. */
    private record Host(Exercise exercise, Side side, Process process, Path report, Path output) {
        void kill() {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
        }
    }

    Path testClassesDir(Exercise exercise, Side side) {
        return exercise.buildDir(workspace.root()).resolve(side == Side.LEARNER ? "test-classes" : "solution-test-classes");
    }

    Path classesDir(Exercise exercise, Side side) {
        return exercise.buildDir(workspace.root()).resolve(side == Side.LEARNER ? "classes" : "solution-classes");
    }

    /**
     * The module's jars first, the exercise's classes last: then the AOT cache the launcher trained on the jars
     * alone ({@code target/lab-host.aot}) still applies, and the test JVM starts with those classes mapped.
     */
    private List<Path> hostClasspath(Exercise exercise, Side side) {
        List<Path> classpath = new ArrayList<>(workspace.moduleClasspath(exercise.module()));
        classpath.add(classesDir(exercise, side));
        classpath.add(testClassesDir(exercise, side));
        classpath.addAll(workspace.sharedResources(exercise.module()));
        return classpath;
    }

    private Host startHost(Exercise exercise, Side side) {
        Path dir = exercise.buildDir(workspace.root());
        long run = RUNS.incrementAndGet();
        Path report = dir.resolve("report-" + ProcessHandle.current().pid() + "-" + run + ".jsonl");
        Path output = dir.resolve("output-" + ProcessHandle.current().pid() + "-" + run + ".txt");
        try {
            Files.createDirectories(classesDir(exercise, side));
            Files.createDirectories(testClassesDir(exercise, side));
            List<String> command = hostCommandStart();
            Path aot = workspace.root().resolve(exercise.module()).resolve("target/lab-host.aot");
            if (Files.isRegularFile(aot)) {
                command.addAll(List.of("-XX:AOTCache=" + aot, "-Xlog:aot=off", "-Xlog:cds=off"));
            }
            String timeout = System.getProperty("lab.test.timeout"); // e.g. "30 s" on a slow machine
            if (timeout != null) {
                command.add("-Djunit.jupiter.execution.timeout.default=" + timeout);
            }
            // DuckDB's library unpacked once per module: the driver would otherwise unpack 70 MB into a new temporary
            // file in every host, and a host halts without running the shutdown hook that deletes it
            Jvm.Launch launch = Jvm.forModule(workspace, exercise.module(), hostClasspath(exercise, side));
            command.addAll(launch.flags());
            command.add("-cp");
            command.add(Jvm.classpath(launch.classpath()));
            command.add("parlab.testing.host.TestHost");
            command.add(report.toString());
            command.add(testClassesDir(exercise, side).toString());
            command.add("--wait");
            if (!exercise.includedTestClasses().isEmpty()) {
                command.add("--include=" + String.join(",", exercise.includedTestClasses()));
            }
            if (!exercise.excludedTestClasses().isEmpty()) {
                command.add("--exclude=" + String.join(",", exercise.excludedTestClasses()));
            }
            Process process = new ProcessBuilder(command)
                    .directory(workspace.root().resolve(exercise.module()).toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(output.toFile())
                    .start();
            return new Host(exercise, side, process, report, output);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the test JVM", e);
        }
    }

    /** The java launcher and the flags of every test JVM (the AOT training run must use the same). */
    static List<String> hostCommandStart() {
        List<String> command = Jvm.command();
        command.addAll(HOST_FLAGS);
        return command;
    }

    /** Starts the next check's test host now, so that the next check does not wait for a JVM to boot. */
    public synchronized void prewarm(Exercise exercise, Side side) {
        if (warm != null && warm.exercise().equals(exercise) && warm.side() == side && warm.process().isAlive()) {
            return;
        }
        discardWarm();
        warm = startHost(exercise, side);
    }

    private synchronized Host takeHost(Exercise exercise, Side side) {
        if (warm != null && warm.exercise().equals(exercise) && warm.side() == side && warm.process().isAlive()) {
            Host host = warm;
            warm = null;
            return host;
        }
        discardWarm();
        return startHost(exercise, side);
    }

    private void discardWarm() {
        if (warm != null) {
            warm.kill();
            cleanUp(warm);
            warm = null;
        }
    }

    public CheckResult check(Exercise exercise, Side side) {
        long started = System.nanoTime();
        Host host = takeHost(exercise, side);
        running.add(host);
        try {
            Path root = workspace.root();
            List<Path> mainSources = workspace.mainSources(exercise, side);
            // the exercise's package only: a sub-package's tests (e.g. the capstone's plumbing) are not its own
            List<Path> testSources = Workspace.javaFilesIn(exercise.testDir(root));
            if (mainSources.isEmpty() || testSources.isEmpty()) {
                throw new LabException("no sources or no tests for " + exercise.label() + " under " + exercise.module());
            }
            List<Path> deps = workspace.moduleClasspath(exercise.module());
            Path classes = classesDir(exercise, side);
            Compiler.Result compiled = compiler.compile(mainSources, classes, deps, List.of());
            if (compiled.ok()) {
                compiled = compileTestsUnlessUnchanged(exercise, side, testSources, mainSources, deps);
            }
            if (!compiled.ok()) {
                host.kill();
                return new CheckResult(exercise, side, CheckResult.Outcome.COMPILE_ERROR, List.of(),
                        compiled.errors(), null, "", elapsed(started));
            }
            long compiledAt = System.nanoTime();
            CheckResult result = run(host, started);
            if (Boolean.getBoolean("lab.timing")) {
                System.err.printf("[timing] compile %d ms, tests %d ms%n", (compiledAt - started) / 1_000_000,
                        (System.nanoTime() - compiledAt) / 1_000_000);
            }
            return result;
        } finally {
            running.remove(host);
            host.kill();
            cleanUp(host);
        }
    }

    /**
     * Tests compile slowly (AssertJ's generics) and change rarely: they are recompiled only when their sources or
     * the public API of the code under test changed since the last compilation, which the key file remembers.
     */
    private Compiler.Result compileTestsUnlessUnchanged(Exercise exercise, Side side, List<Path> testSources,
            List<Path> mainSources, List<Path> deps) {
        Path testClasses = testClassesDir(exercise, side);
        Path keyFile = testClasses.resolve(".lab-key");
        String key = Workspace.digest(workspace.root(), testSources) + PublicApi.of(classesDir(exercise, side), exercise, mainSources)
                .hashCode();
        try {
            if (Files.isRegularFile(keyFile) && Files.readString(keyFile).equals(key)) {
                return new Compiler.Result(List.of());
            }
            List<Path> classpath = new ArrayList<>(List.of(classesDir(exercise, side)));
            classpath.addAll(deps);
            Compiler.Result compiled = compiler.compile(testSources, testClasses, classpath, List.of());
            if (compiled.ok()) {
                copyResources(exercise.testResourcesDir(workspace.root()), testClasses.resolve(exercise.packagePath()));
                Files.writeString(keyFile, key);
            }
            return compiled;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
    private CheckResult run(Host host, long started) {
        try (OutputStream go = host.process().getOutputStream()) {
            go.write("go\n".getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            // the host died before the go; its output says why
        }
        boolean exited;
        try {
            exited = host.process().waitFor(RUN_LIMIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            host.kill();
            Thread.currentThread().interrupt();
            throw new LabException("interrupted");
        }
        if (!exited) {
            host.kill();
        }
        return readReport(host, exited, started);
    }

    private CheckResult readReport(Host host, boolean exited, long started) {
        List<CheckResult.TestOutcome> tests = new ArrayList<>();
        boolean done = false;
        String problem = null;
        for (String line : readLines(host.report())) {
            JsonNode event;
            try {
                event = JSON.readTree(line);
            } catch (RuntimeException torn) {
                continue; // the JVM died mid-line
            }
            switch (event.path("type").asString("")) {
                case "test" -> tests.add(new CheckResult.TestOutcome(
                        event.path("name").asString(""), event.path("class").asString(""),
                        event.path("method").asString(""), "SUCCESSFUL".equals(event.path("status").asString("")),
                        event.path("kind").asString(""), event.path("message").asString(""),
                        event.path("trace").asString("")));
                case "done" -> done = true;
                case "exit" -> problem = "the test '" + event.path("test").asString("?")
                        + "' made the JVM exit (System.exit" + (exited ? "(" + host.process().exitValue() + ")" : "")
                        + "): code under test must never end the JVM; throw an exception instead.\n"
                        + event.path("trace").asString("");
                case "crash" -> problem = "the test JVM failed during '" + event.path("test").asString("?") + "': "
                        + event.path("message").asString("")
                        + (event.path("message").asString("").contains("OutOfMemoryError")
                                ? " (the tests run with a 512 MB heap: look for data that grows without bound)" : "")
                        + "\n" + event.path("trace").asString("");
                case "cancelled" -> problem = "'" + event.path("test").asString("?") + "' hung, so the tests after it "
                        + "were not run: its stuck threads would have slowed them all to their time limits";
                default -> { }
            }
        }
        String output = tail(host.output(), 60);
        CheckResult.Outcome outcome;
        if (!exited) {
            problem = "the tests did not finish within " + RUN_LIMIT.toSeconds() + " s and were stopped";
            outcome = CheckResult.Outcome.CRASHED;
        } else if (!done) {
            if (problem == null) {
                problem = "the test JVM ended unexpectedly (exit code " + host.process().exitValue() + ")"
                        + (output.contains("OutOfMemoryError") ? ": it ran out of memory" : "");
            }
            outcome = CheckResult.Outcome.CRASHED;
        } else if (tests.isEmpty()) {
            outcome = CheckResult.Outcome.NO_TESTS;
            problem = "no test ran: is there a test class in " + host.exercise().testDir(workspace.root()) + "?";
        } else {
            outcome = tests.stream().allMatch(CheckResult.TestOutcome::passed)
                    ? CheckResult.Outcome.PASSED : CheckResult.Outcome.FAILED;
        }
        return new CheckResult(host.exercise(), host.side(), outcome, List.copyOf(tests), List.of(), problem, output,
                elapsed(started));
    }

    private static List<String> readLines(Path file) {
        try {
            return Files.exists(file) ? Files.readAllLines(file, StandardCharsets.UTF_8) : List.of();
        } catch (IOException e) {
            return List.of();
        }
    }

    private static String tail(Path file, int lines) {
        List<String> all = readLines(file);
        return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
    }

    private static void copyResources(Path from, Path to) {
        for (Path file : Workspace.files(from)) {
            try {
                Path target = to.resolve(from.relativize(file).toString());
                Files.createDirectories(target.getParent());
                Files.copy(file, target, StandardCopyOption.REPLACE_EXISTING);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    private static void cleanUp(Host host) {
        try {
            Files.deleteIfExists(host.report());
            Files.deleteIfExists(host.output());
        } catch (IOException ignored) {
            // leftovers in target/ are harmless
        }
    }

    private static Duration elapsed(long started) {
        return Duration.ofNanos(System.nanoTime() - started);
    }

    @Override
    public synchronized void close() {
        discardWarm();
        running.forEach(Host::kill);
    }
}
