package parlab.lab;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code ./lab run capstone --input FILE ...}: compiles a program of the workbook from the learner's code (or the
 * reference with {@code --solution}) and runs it in its own JVM, its output and exit status passed through. Ctrl-C
 * reaches it as it would any program started from the terminal.
 */
@Command(name = "run", description = {"Run a program of the workbook built from your code: ./lab run capstone --input FILE",
        "Everything after the program's name goes to the program (./lab run capstone --help)."})
final class RunCommand implements Callable<Integer> {
    /** A program: where its code is and where it starts. */
    record Program(String module, String mainClass) {
    }

    static final Map<String, Program> PROGRAMS = Map.of(
            "capstone", new Program("capstone", "parlab.capstone.CapstoneMain"));

    @Option(names = "--solution", description = "Run the reference solution instead of your code.")
    boolean solution;

    @Option(names = "--print-command", hidden = true,
            description = "Print the java command, one argument a line, instead of running it (for scripts).")
    boolean printCommand;

    @Parameters(index = "0", paramLabel = "<program>", description = "capstone")
    String name;

    @Parameters(index = "1..*", paramLabel = "<args>", description = "the program's own options")
    List<String> args = new ArrayList<>();

    @Override
    public Integer call() throws IOException, InterruptedException {
        solution |= args.remove("--solution"); // also accepted after the program's name
        Program program = PROGRAMS.get(name);
        if (program == null) {
            throw new LabException("no program called '" + name + "'; there is: " + String.join(", ", PROGRAMS.keySet()));
        }
        Workspace workspace = Workspace.locate();
        Path moduleDir = workspace.root().resolve(program.module());
        List<Path> sources = new ArrayList<>(Workspace.javaFiles(solution
                ? workspace.root().resolve("solutions").resolve(program.module()).resolve("src/main/java")
                : moduleDir.resolve("src/main/java")));
        sources.addAll(Workspace.javaFiles(moduleDir.resolve("src/shared/java")));
        if (sources.isEmpty()) {
            throw new LabException(program.module() + " has no sources yet");
        }
        List<Path> classpath = workspace.moduleRuntimeClasspath(program.module());
        Path classes = moduleDir.resolve("target/lab/run-" + (solution ? "solution" : "yours"));
        Compiler.Result compiled = new Compiler(workspace).compile(sources, classes, classpath, List.of());
        if (!compiled.ok()) {
            Ui.forStdout().printCompileErrors(Main.OUT, compiled.errors(), "  (" + program.module() + ")");
            return 1;
        }
        // classes and resources in a jar, so that an AOT cache can cover them (RunCache)
        List<Path> ownDirs = new ArrayList<>(List.of(classes));
        ownDirs.addAll(workspace.sharedResources(program.module()));
        Path jar = RunCache.jar(moduleDir.resolve("target/lab/run-" + (solution ? "solution" : "yours") + ".jar"),
                ownDirs);
        List<Path> fullClasspath = new ArrayList<>(List.of(jar));
        fullClasspath.addAll(classpath);
        Jvm.Launch launch = Jvm.forModule(workspace, program.module(), fullClasspath);
        List<String> command = Jvm.command();
        command.set(0, RuntimeImage.java(moduleDir.resolve("target/lab/runtime"))); // the JDK without JFR
        command.addAll(launch.flags());
        command.addAll(List.of("-cp", Jvm.classpath(launch.classpath()), program.mainClass()));
        // the reference's code changes seldom; the learner's with every edit, so its cache is trained for measuring only
        command.addAll(1, RunCache.flags(command, Path.of(jar + ".aot"), jar, solution || printCommand));
        command.addAll(args);
        if (printCommand) {
            command.forEach(Main.OUT::println);
            return 0;
        }
        Process process = new ProcessBuilder(command).inheritIO().start();
        Thread stopChild = new Thread(() -> stop(process));
        Runtime.getRuntime().addShutdownHook(stopChild);
        try {
            return process.waitFor();
        } finally {
            try {
                Runtime.getRuntime().removeShutdownHook(stopChild);
            } catch (IllegalStateException shuttingDown) {
                // the hook is running: it stops the program
            }
        }
    }

    /**
     * On Ctrl-C or {@code SIGTERM} to the runner: {@code SIGTERM} to the program, which drains and exits cleanly,
     * then the runner exits with the program's exit code once it has (the prompt does not come back while the
     * program still prints, and a script sees 130, "interrupted, run again to resume"); after a minute it is
     * killed. Halting is how a shutdown hook sets the exit code.
     */
    private static void stop(Process process) {
        process.destroy();
        try {
            if (process.waitFor(1, TimeUnit.MINUTES)) {
                Runtime.getRuntime().halt(process.exitValue());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        process.destroyForcibly();
    }
}
