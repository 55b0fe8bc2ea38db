package parlab.lab;

import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** What the workbook runs on, and whether everything it needs is there; each problem comes with what to do. */
@Command(name = "doctor", description = "Check the JDK, the machine and the build state.")
final class DoctorCommand implements Callable<Integer> {
    @Override
    public Integer call() {
        PrintStream out = Main.OUT;
        Workspace workspace = Workspace.locate();
        Ui ui = Ui.forStdout();
        int problems = 0;
        Runtime.Version version = Runtime.version();
        problems += report(out, ui, version.feature() >= 25, "JDK " + version + " (" + System.getProperty("java.vendor")
                + ") at " + System.getProperty("java.home"), "Parallel Lab needs JDK 25 or newer: set JAVA_HOME");
        problems += report(out, ui, javax.tools.ToolProvider.getSystemJavaCompiler() != null, "javac available",
                "this is a JRE; install a full JDK 25");
        int cores = Runtime.getRuntime().availableProcessors();
        out.println(ui.green("✓ ") + cores + " cores available to the JVM"
                + (cores < 2 ? ui.yellow(" (speedups need at least 2)") : ""));
        long memory = ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getTotalMemorySize();
        out.printf("%s%.1f GiB of memory; this JVM may use %.1f GiB%n", ui.green("✓ "), memory / (1024.0 * 1024 * 1024),
                Runtime.getRuntime().maxMemory() / (1024.0 * 1024 * 1024));
        out.println(ui.green("✓ ") + System.getProperty("os.name") + " " + System.getProperty("os.arch")
                + (Files.isDirectory(Path.of("/dev/shm")) ? ", /dev/shm present" : ", no /dev/shm (shared memory uses a temp file)"));
        for (String module : new String[] {"stage1-basics", "stage2-intermediate", "stage3-advanced", "capstone"}) {
            Path classpath = workspace.root().resolve(module).resolve("target/lab-classpath.txt");
            problems += report(out, ui, Files.isRegularFile(classpath), module + " is built",
                    "run ./lab once (it builds what is missing) or ./mvnw -q -DskipTests package");
        }
        Path aot = workspace.root().resolve("lab-runner/target/lab.aot");
        out.println((Files.exists(aot) ? ui.green("✓ ") + "AOT cache for fast start-up: " : ui.yellow("· ")
                + "no AOT cache yet (made on the next ./lab run): ") + workspace.relative(aot));
        try (Lab lab = new Lab(workspace, ui)) {
            out.println(ui.green("✓ ") + lab.catalog().all().size() + " exercises in exercises.toml; progress "
                    + lab.doneCount() + " done (.lab/state.json)");
        }
        out.println();
        out.println(problems == 0 ? ui.green("All good.") : ui.red(problems + " problem(s) above."));
        return problems == 0 ? 0 : 1;
    }

    private static int report(PrintStream out, Ui ui, boolean ok, String what, String fix) {
        out.println(ok ? ui.green("✓ ") + what : ui.red("✗ ") + what + " — " + fix);
        return ok ? 0 : 1;
    }
}
