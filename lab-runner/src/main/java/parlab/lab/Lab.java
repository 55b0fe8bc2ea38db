package parlab.lab;

import java.io.PrintStream;
import java.util.List;
import java.util.Optional;

/** What every command works with: the workbook, its catalog, the learner's progress, the checker. */
public final class Lab implements AutoCloseable {
    private final Workspace workspace;
    private final Catalog catalog;
    private final State state;
    private final Ui ui;
    private Checker checker;

    public Lab(Workspace workspace, Ui ui) {
        this.workspace = workspace;
        this.catalog = Catalog.load(workspace.catalogFile());
        this.state = State.load(workspace.root());
        this.ui = ui;
    }

    public Workspace workspace() {
        return workspace;
    }

    public Catalog catalog() {
        return catalog;
    }

    public State state() {
        return state;
    }

    public Ui ui() {
        return ui;
    }

    public synchronized Checker checker() {
        if (checker == null) {
            checker = new Checker(workspace);
        }
        return checker;
    }

    /** Checks the learner's code and records the result against the files' current hash. */
    public CheckResult checkAndRecord(Exercise exercise) {
        String hash = workspace.hash(exercise);
        CheckResult result = checker().check(exercise, Checker.Side.LEARNER);
        state.recordCheck(exercise, hash, result.passed());
        return result;
    }

    public boolean isDone(Exercise exercise) {
        return state.isDone(exercise, workspace.hash(exercise));
    }

    public int doneCount() {
        return (int) catalog.all().stream().filter(this::isDone).count();
    }

    /** The first exercise not passed with its current files, if any. */
    public Optional<Exercise> firstUnfinished() {
        return catalog.all().stream().filter(e -> !isDone(e)).findFirst();
    }

    public Optional<Exercise> after(Exercise exercise) {
        List<Exercise> all = catalog.all();
        int next = all.indexOf(exercise) + 1;
        return next < all.size() ? Optional.of(all.get(next)) : Optional.empty();
    }

    /** The file the learner edits first: the skeleton class named in the statement, else the package's first file. */
    public String fileToEdit(Exercise exercise) {
        List<java.nio.file.Path> files = Workspace.javaFiles(exercise.mainDir(workspace.root())).stream()
                .filter(exercise::owns).toList();
        return files.stream()
                .filter(f -> {
                    try {
                        return java.nio.file.Files.readString(f).contains("TODO");
                    } catch (java.io.IOException e) {
                        return false;
                    }
                })
                .findFirst().or(() -> files.stream().findFirst())
                .map(workspace::relative).orElse(workspace.relative(exercise.mainDir(workspace.root())));
    }

    /** The next hint, counted so that each call shows one more. */
    public void printNextHint(Exercise exercise, PrintStream out) {
        if (exercise.hints().isEmpty()) {
            out.println("No hint for this exercise; its note may help: " + exercise.note());
            return;
        }
        int shown = state.nextHint(exercise);
        for (int i = 0; i < shown; i++) {
            String label = "hint " + (i + 1) + "/" + exercise.hints().size() + ": ";
            out.println((i == shown - 1 ? ui.yellow(label) : ui.dim(label)) + wrap(exercise.hints().get(i), label.length()));
        }
        if (shown == exercise.hints().size() && exercise.note() != null) {
            out.println(ui.dim("That was the last hint. The theory is in " + exercise.note() + "."));
        }
    }

    static String wrap(String text, int indent) {
        StringBuilder out = new StringBuilder();
        int column = indent;
        for (String word : text.split(" ")) {
            if (column + word.length() > 100 && column > indent) {
                out.append('\n').append(" ".repeat(indent));
                column = indent;
            } else if (column > indent) {
                out.append(' ');
                column++;
            }
            out.append(word);
            column += word.length();
        }
        return out.toString();
    }

    @Override
    public synchronized void close() {
        if (checker != null) {
            checker.close();
        }
    }
}
