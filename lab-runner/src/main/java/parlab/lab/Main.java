package parlab.lab;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code ./lab}: the learner's and the instructor's entry point. Exit status: 0 ok, 1 a check failed, 2 misuse. */
@Command(name = "lab", mixinStandardHelpOptions = true, scope = ScopeType.INHERIT, version = "Parallel Lab 1.0",
        description = {"Parallel Lab: a workbook for parallel and concurrent programming in Java.",
                "Without a command, watches the first unfinished exercise and re-checks it on every save."},
        subcommands = {Main.ListCommand.class, Main.CheckCommand.class, Main.HintCommand.class,
                Main.ResetCommand.class, Main.SolutionCommand.class, Main.WatchCommand.class, BenchCommand.class,
                VerifyCommand.class, DoctorCommand.class, DataCommand.class, RunCommand.class, LatencyCommand.class,
                PrepareCommand.class})
public final class Main implements Callable<Integer> {
    static final PrintStream OUT = System.out;

    public static void main(String[] args) {
        int status = commandLine(new Main()).execute(args);
        System.out.flush();
        System.exit(status);
    }

    /** A command line for {@code command} on which a {@link LabException} is a one-line message and exit status 2. */
    static CommandLine commandLine(Object command) {
        CommandLine line = new CommandLine(command).setExecutionExceptionHandler((e, cmd, parsed) -> {
            if (e instanceof LabException lab) {
                System.err.println("lab: " + lab.getMessage());
                return 2;
            }
            throw e;
        });
        CommandLine run = line.getSubcommands().get("run");
        if (run != null) {
            run.setStopAtPositional(true); // ./lab run capstone --input x: the program's options are the program's
        }
        return line;
    }

    static Lab open() {
        return new Lab(Workspace.locate(), Ui.forStdout());
    }

    @Override
    public Integer call() throws Exception {
        return new WatchCommand().call();
    }

    @Command(name = "list", description = "List every exercise with its state.")
    static final class ListCommand implements Callable<Integer> {
        @Override
        public Integer call() {
            try (Lab lab = open()) {
                Ui ui = lab.ui();
                String stage = "";
                Exercise current = lab.firstUnfinished().orElse(null);
                for (Exercise e : lab.catalog().all()) {
                    String thisStage = e.module();
                    if (!thisStage.equals(stage)) {
                        OUT.println(ui.bold(thisStage));
                        stage = thisStage;
                    }
                    State.Entry entry = lab.state().get(e);
                    boolean done = lab.isDone(e);
                    String mark = done ? ui.green("✓") : entry.checkedAt() == null ? ui.dim("·")
                            : entry.passed() ? ui.yellow("?") : ui.red("✗");
                    String pointer = e.equals(current) ? ui.yellow(" ← next") : "";
                    OUT.printf("  %s %-6s %-" + lab.catalog().idWidth() + "s %s%s%n", mark, e.code(), e.id(), e.title(),
                            pointer);
                }
                OUT.println();
                OUT.println("  " + ui.progressBar(lab.doneCount(), lab.catalog().all().size(), 30));
                OUT.println(ui.dim("  ✓ passes   ✗ fails   ? edited since it passed   · not checked yet"));
                return 0;
            }
        }
    }

    @Command(name = "check", description = "Compile an exercise and run its tests once.")
    static final class CheckCommand implements Callable<Integer> {
        @Parameters(paramLabel = "<exercise>", description = "id (parallel-loops) or code (s1e01); "
                + "default: the first unfinished one", arity = "0..1")
        String id;

        @Option(names = "--solution", description = "Check the reference solution instead of your code.")
        boolean solution;

        @Override
        public Integer call() {
            try (Lab lab = open()) {
                Exercise e = id != null ? lab.catalog().require(id)
                        : lab.firstUnfinished().orElseThrow(() -> new LabException("every exercise passes already"));
                OUT.println(lab.ui().header(e));
                CheckResult result = solution ? lab.checker().check(e, Checker.Side.SOLUTION) : lab.checkAndRecord(e);
                lab.ui().printResult(OUT, result);
                if (!solution && !result.passed()) {
                    OUT.println(lab.ui().dim("edit " + lab.fileToEdit(e, result) + " · ./lab hint " + e.id()
                            + " for a hint"));
                }
                return result.passed() ? 0 : 1;
            }
        }
    }

    @Command(name = "hint", description = "Show the next hint of an exercise (one more each time).")
    static final class HintCommand implements Callable<Integer> {
        @Parameters(paramLabel = "<exercise>", arity = "0..1")
        String id;

        @Override
        public Integer call() {
            try (Lab lab = open()) {
                Exercise e = id != null ? lab.catalog().require(id)
                        : lab.firstUnfinished().orElseThrow(() -> new LabException("every exercise passes already"));
                OUT.println(lab.ui().header(e));
                lab.printNextHint(e, OUT);
                return 0;
            }
        }
    }

    @Command(name = "reset", description = "Restore an exercise's skeleton and tests as they were (asks first).")
    static final class ResetCommand implements Callable<Integer> {
        @Parameters(paramLabel = "<exercise>")
        String id;

        @Option(names = {"-y", "--yes"}, description = "Do not ask.")
        boolean yes;

        @Override
        public Integer call() {
            try (Lab lab = open()) {
                Exercise e = lab.catalog().require(id);
                if (!yes && !Confirm.ask("Reset " + e.label() + "? Your changes to its files will be lost. [y/N] ")) {
                    OUT.println("Nothing changed.");
                    return 1;
                }
                List<String> restored = Pristine.restore(lab.workspace(), e);
                lab.state().forget(e);
                OUT.println(lab.ui().green("✓ ") + "restored " + restored.size() + " files of " + e.label());
                return 0;
            }
        }
    }

    @Command(name = "solution", description = "Show the reference solution beside your code (once your code passes).")
    static final class SolutionCommand implements Callable<Integer> {
        @Parameters(paramLabel = "<exercise>")
        String id;

        @Option(names = "--force", description = "Show it even though your code does not pass yet.")
        boolean force;

        @Override
        public Integer call() {
            try (Lab lab = open()) {
                Exercise e = lab.catalog().require(id);
                if (!force && !lab.isDone(e)) {
                    throw new LabException(e.label() + " does not pass yet (./lab check " + e.id()
                            + "). Seeing the answer first spoils the exercise; add --force if you are sure.");
                }
                SideBySide.print(lab, e, OUT);
                return 0;
            }
        }
    }

    @Command(name = "watch", description = "Watch an exercise and re-check it on every save (the default command).")
    static final class WatchCommand implements Callable<Integer> {
        @Parameters(paramLabel = "<exercise>", arity = "0..1")
        String id;

        @Override
        public Integer call() throws Exception {
            try (Lab lab = open()) {
                Exercise start = id != null ? lab.catalog().require(id) : lab.firstUnfinished().orElse(null);
                return new Watch(lab).run(start);
            }
        }
    }

    static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
