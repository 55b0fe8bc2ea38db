package parlab.lab;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * Measures edit-to-feedback latency the way a learner meets it: a save seen by the file watcher, then a check on
 * a test JVM started ahead of time (watch mode's path); a cold {@code ./lab check} process; and, as the baseline,
 * the same tests through Maven. Prints medians and ratios.
 */
@Command(name = "latency", hidden = true, description = "Measure edit-to-feedback latency (watch mode, ./lab check, Maven).")
final class LatencyCommand implements Callable<Integer> {
    @Parameters(paramLabel = "<exercise>", arity = "0..1")
    String id = "parallel-loops";

    @Option(names = "--runs", description = "Saves to time in watch mode (default 5).")
    int runs = 5;

    @Option(names = "--maven-runs", description = "Maven runs to time (default 1; 0 skips Maven).")
    int mavenRuns = 1;

    @Override
    public Integer call() throws Exception {
        PrintStream out = Main.OUT;
        try (Lab lab = Main.open()) {
            Exercise e = lab.catalog().require(id);
            Path file = Workspace.javaFiles(e.mainDir(lab.workspace().root())).getFirst();
            out.println("Edit-to-feedback latency for " + e.label() + " (" + Runtime.getRuntime().availableProcessors()
                    + " cores), touching " + lab.workspace().relative(file));

            List<Double> watch = new ArrayList<>();
            Semaphore saved = new Semaphore(0);
            try (FileWatcher watcher = new FileWatcher(saved::release)) {
                watcher.watch(List.of(e.mainDir(lab.workspace().root())));
                lab.checker().check(e, Checker.Side.LEARNER); // warm the compiler, like the first check on opening
                for (int i = 0; i < runs; i++) {
                    lab.checker().prewarm(e, Checker.Side.LEARNER);
                    awaitReady();
                    saved.drainPermits();
                    long start = System.nanoTime();
                    Files.setLastModifiedTime(file, FileTime.from(Instant.now()));
                    Files.writeString(file, Files.readString(file)); // a save, as an editor does it
                    if (!saved.tryAcquire(10, TimeUnit.SECONDS)) {
                        throw new LabException("the file watcher saw no change to " + file);
                    }
                    CheckResult result = lab.checker().check(e, Checker.Side.LEARNER);
                    watch.add((System.nanoTime() - start) / 1e9);
                    out.printf(Locale.ROOT, "  watch mode, save %d: %.3f s (%s, %d tests)%n", i + 1, watch.getLast(),
                            result.outcome(), result.tests().size());
                }
            }

            List<Double> cold = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                cold.add(time(List.of(lab.workspace().root().resolve("lab").toString(), "check", e.id()), lab));
                out.printf(Locale.ROOT, "  ./lab check, run %d: %.3f s%n", i + 1, cold.getLast());
            }

            List<Double> maven = new ArrayList<>();
            String testClass = Workspace.javaFiles(e.testDir(lab.workspace().root())).getFirst().getFileName()
                    .toString().replace(".java", "");
            for (int i = 0; i < mavenRuns; i++) {
                maven.add(time(List.of(lab.workspace().root().resolve("mvnw").toString(), "-q", "-o", "-pl",
                        "test-support," + e.module(), "test", "-Dtest=" + testClass,
                        "-Dsurefire.failIfNoSpecifiedTests=false"), lab));
                out.printf(Locale.ROOT, "  ./mvnw -q -pl %s test -Dtest=%s, run %d: %.3f s%n", e.module(), testClass,
                        i + 1, maven.getLast());
            }

            out.println();
            double w = median(watch);
            double c = median(cold);
            out.printf(Locale.ROOT, "watch mode (save → result), median of %d: %.3f s%n", watch.size(), w);
            out.printf(Locale.ROOT, "./lab check (cold process),  median of %d: %.3f s%n", cold.size(), c);
            if (!maven.isEmpty()) {
                double m = median(maven);
                out.printf(Locale.ROOT, "./mvnw test (baseline),      median of %d: %.3f s%n", maven.size(), m);
                out.printf(Locale.ROOT, "ratio: watch mode is %.1fx faster than Maven, ./lab check %.1fx%n", m / w, m / c);
            }
            return 0;
        }
    }

    /** Gives the freshly started test JVM its head start, as the learner's typing does in real use. */
    private static void awaitReady() throws InterruptedException {
        Thread.sleep(1500); // models the seconds between two saves; not a synchronisation
    }

    private static double time(List<String> command, Lab lab) throws IOException, InterruptedException {
        long start = System.nanoTime();
        Process p = new ProcessBuilder(command).directory(lab.workspace().root().toFile())
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        if (!p.waitFor(10, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            throw new LabException(String.join(" ", command) + " took more than 10 minutes");
        }
        return (System.nanoTime() - start) / 1e9;
    }

    private static double median(List<Double> values) {
        List<Double> sorted = values.stream().sorted().toList();
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }
}
