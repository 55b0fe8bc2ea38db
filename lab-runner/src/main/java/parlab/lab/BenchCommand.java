package parlab.lab;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Runs an exercise's JMH benchmark on the learner's code, the reference, or both, and prints a short table:
 * each score, its speedup over the baseline named in the catalog, and with {@code --vs-solution} the ratio of the
 * learner's time to the reference's. JMH's JSON results stay in the module's {@code target/lab/<id>/}.
 */
@Command(name = "bench", description = "Run an exercise's JMH benchmark and print speedups against its baseline.")
final class BenchCommand implements Callable<Integer> {
    private static final JsonMapper JSON = JsonMapper.builder().build();

    @Parameters(paramLabel = "<exercise>", arity = "0..1", description = "the exercise (or --all)")
    String id;

    @Option(names = "--all", description = "Every exercise that has a benchmark.")
    boolean all;

    @Option(names = "--vs-solution", description = "Run the reference too and compare.")
    boolean vsSolution;

    @Option(names = "--solution", description = "Run the reference solution only.")
    boolean solutionOnly;

    @Option(names = "--smoke", description = "One short iteration, no warm-up: proves the benchmark runs, measures nothing.")
    boolean smoke;

    @Option(names = "--jmh", paramLabel = "<args>", description = "Extra JMH arguments, e.g. --jmh=\"-p threads=2 -f 2\".")
    String jmhArgs = "";

    @Option(names = "--quiet", description = "Hide JMH's own output; print only the table.")
    boolean quiet;

    record Row(String method, Map<String, String> params, double score, double error, String unit,
            boolean higherIsBetter) {
        String paramsText() {
            return params.isEmpty() ? "" : params.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
                    .reduce((a, b) -> a + " " + b).orElse("");
        }
    }

    @Override
    public Integer call() {
        PrintStream out = Main.OUT;
        try (Lab lab = Main.open()) {
            List<Exercise> targets;
            if (all) {
                targets = lab.catalog().all().stream().filter(e -> e.benchmark() != null).toList();
            } else if (id != null) {
                targets = List.of(lab.catalog().require(id));
            } else {
                throw new LabException("name an exercise (./lab bench parallel-loops) or use --all");
            }
            int failures = 0;
            for (Exercise e : targets) {
                if (e.benchmark() == null) {
                    throw new LabException(e.label() + " has no benchmark");
                }
                out.println(lab.ui().header(e) + lab.ui().dim("  benchmark " + e.benchmark()));
                List<Row> mine = solutionOnly ? null : run(lab, e, Checker.Side.LEARNER);
                List<Row> reference = solutionOnly || vsSolution ? run(lab, e, Checker.Side.SOLUTION) : null;
                if ((mine == null && reference == null) || (!solutionOnly && mine == null)
                        || ((solutionOnly || vsSolution) && reference == null)) {
                    failures++;
                    continue;
                }
                printTable(out, lab.ui(), e, mine != null ? mine : reference, mine != null ? reference : null);
                plot(lab, e, mine != null ? mine : reference, mine != null ? reference : null);
            }
            return failures == 0 ? 0 : 1;
        }
    }

    /** Compiles the side's code with the benchmark (JMH generates its harness as it compiles), runs JMH. */
    private List<Row> run(Lab lab, Exercise e, Checker.Side side) {
        Path root = lab.workspace().root();
        Path dir = e.buildDir(root).resolve(side == Checker.Side.LEARNER ? "bench" : "bench-solution");
        Path classes = dir.resolve("classes");
        List<Path> classpath = lab.workspace().moduleClasspath(e.module());
        List<Path> sources = new ArrayList<>(lab.workspace().mainSources(e, side));
        sources.addAll(Workspace.javaFiles(e.testDir(root))); // as in Maven, benchmarks may use test helpers
        sources.addAll(Workspace.javaFiles(e.benchDir(root)));
        Compiler.Result compiled = new Compiler(lab.workspace()).compile(sources, classes, classpath, classpath);
        if (!compiled.ok()) {
            lab.ui().printCompileErrors(Main.OUT, compiled.errors(), "");
            return null;
        }
        Path results = dir.resolve("jmh-result.json");
        List<Path> fullClasspath = new ArrayList<>(List.of(classes));
        fullClasspath.addAll(classpath);
        List<String> command = Jvm.command();
        command.addAll(List.of("-cp", Jvm.classpath(fullClasspath), "org.openjdk.jmh.Main",
                "^" + e.benchmark().replace(".", "\\.") + "\\.", "-rf", "json", "-rff", results.toString(),
                "-jvmArgsAppend", String.join(" ", Jvm.FLAGS)));
        if (smoke) {
            command.addAll(List.of("-f", "1", "-wi", "0", "-i", "1", "-r", "300ms"));
        }
        if (!jmhArgs.isBlank()) {
            command.addAll(List.of(jmhArgs.trim().split("\\s+")));
        }
        Main.OUT.println(lab.ui().dim((side == Checker.Side.LEARNER ? "your code" : "reference solution")
                + (smoke ? " (smoke run: one short iteration)" : "") + "…"));
        try {
            Files.deleteIfExists(results);
            ProcessBuilder builder = new ProcessBuilder(command).directory(root.resolve(e.module()).toFile());
            if (quiet) {
                builder.redirectErrorStream(true).redirectOutput(dir.resolve("jmh-output.txt").toFile());
            } else {
                builder.inheritIO();
            }
            Process jmh = builder.start();
            if (!jmh.waitFor(60, TimeUnit.MINUTES) || jmh.exitValue() != 0 || !Files.exists(results)) {
                jmh.destroyForcibly();
                Path output = dir.resolve("jmh-output.txt");
                if (quiet && Files.exists(output) && Files.readString(output).contains("Unable to acquire the JMH lock")) {
                    Main.OUT.println(lab.ui().red("✗ another benchmark is running on this machine") + lab.ui().dim(
                            " (JMH runs one at a time so that they do not skew each other's numbers): try again later"));
                    return null;
                }
                Main.OUT.println(lab.ui().red("✗ the benchmark failed (JMH exit "
                        + (jmh.isAlive() ? "timeout" : jmh.exitValue()) + ")")
                        + (side == Checker.Side.LEARNER ? lab.ui().dim(" · does your code pass ./lab check " + e.id() + "?") : ""));
                return null;
            }
            return parse(results);
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new LabException("interrupted");
        }
    }

    /** Writes the plots beside JMH's results and says where they are; a machine that cannot draw only loses them. */
    private static void plot(Lab lab, Exercise e, List<Row> rows, List<Row> reference) {
        try {
            List<Path> plots = SpeedupPlot.write(e.buildDir(lab.workspace().root()), e, rows, reference);
            plots.forEach(p -> Main.OUT.println(lab.ui().dim("plot: " + lab.workspace().relative(p))));
            if (!plots.isEmpty()) {
                Main.OUT.println();
            }
        } catch (RuntimeException | LinkageError ex) {
            Main.OUT.println(lab.ui().dim("(no plot: " + ex + ")"));
        }
    }

    private static List<Row> parse(Path results) {
        List<Row> rows = new ArrayList<>();
        for (JsonNode run : JSON.readTree(results.toFile())) {
            String benchmark = run.path("benchmark").asString();
            Map<String, String> params = new LinkedHashMap<>();
            run.path("params").properties().forEach(p -> params.put(p.getKey(), p.getValue().asString()));
            JsonNode metric = run.path("primaryMetric");
            double error = metric.path("scoreError").asDouble(Double.NaN);
            rows.add(new Row(benchmark.substring(benchmark.lastIndexOf('.') + 1), params,
                    metric.path("score").asDouble(), error, metric.path("scoreUnit").asString(),
                    "thrpt".equals(run.path("mode").asString())));
        }
        return rows;
    }

    /** The row this row is compared with: the same method with the baseline param, or the baseline method. */
    static Row baselineOf(Row row, List<Row> rows, String baseline) {
        if (baseline == null) {
            return null;
        }
        int eq = baseline.indexOf('=');
        for (Row candidate : rows) {
            if (eq > 0) {
                String key = baseline.substring(0, eq);
                String value = baseline.substring(eq + 1);
                Map<String, String> wanted = new LinkedHashMap<>(row.params());
                wanted.put(key, value);
                if (candidate.method().equals(row.method()) && candidate.params().equals(wanted)) {
                    return candidate;
                }
            } else if (candidate.method().equals(baseline) && candidate.params().equals(row.params())) {
                return candidate;
            }
        }
        return null;
    }

    /** How many times faster {@code row} is than {@code base}, whatever the mode. */
    static double speedup(Row row, Row base) {
        return row.higherIsBetter() ? row.score() / base.score() : base.score() / row.score();
    }

    private static void printTable(PrintStream out, Ui ui, Exercise e, List<Row> rows, List<Row> reference) {
        out.println();
        String header = String.format(Locale.ROOT, "%-22s %-26s %16s %10s", "benchmark", "params", "score", "speedup");
        if (reference != null) {
            header += String.format(Locale.ROOT, " %16s %14s", "reference", "yours vs ref");
        }
        out.println(ui.bold(header));
        for (Row row : rows) {
            Row base = baselineOf(row, rows, e.baseline());
            String speed = base == null ? "" : base == row ? "baseline" : String.format(Locale.ROOT, "%.2fx", speedup(row, base));
            String line = String.format(Locale.ROOT, "%-22s %-26s %16s %10s", row.method(), row.paramsText(),
                    score(row), speed);
            if (reference != null) {
                Row ref = reference.stream().filter(r -> r.method().equals(row.method())
                        && Objects.equals(r.params(), row.params())).findFirst().orElse(null);
                line += ref == null ? "" : String.format(Locale.ROOT, " %16s %13.2fx", score(ref), speedup(row, ref));
            }
            out.println(line);
        }
        out.println(ui.dim("speedup: how many times faster than the baseline (" + e.baseline() + ")"
                + (reference != null ? "; yours vs ref: above 1 means your code is faster than the reference" : "")));
        out.println();
    }

    private static String score(Row row) {
        String error = Double.isNaN(row.error()) ? "" : String.format(Locale.ROOT, "±%.2g", row.error());
        return String.format(Locale.ROOT, "%.3g%s %s", row.score(), error, row.unit());
    }
}
