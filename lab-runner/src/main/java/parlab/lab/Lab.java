package parlab.lab;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

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

    /**
     * The file to edit after {@code result} (null: no check yet): the learner's file whose class the first failure
     * names (in its stack trace, else in its test's name or message), so that a failure in {@code Histogram} does
     * not send the learner to {@code AtomicCounter}; else the first file still holding a TODO; else the first file.
     */
    public String fileToEdit(Exercise exercise, CheckResult result) {
        List<Path> files = Workspace.javaFiles(exercise.mainDir(workspace.root())).stream()
                .filter(exercise::owns).toList();
        Optional<Path> named = result == null ? Optional.empty()
                : result.failures().stream().findFirst().flatMap(failure -> namedBy(failure, exercise, files));
        return named
                .or(() -> files.stream().filter(f -> {
                    try {
                        return Files.readString(f).contains("TODO");
                    } catch (IOException e) {
                        return false;
                    }
                }).findFirst())
                .or(() -> files.stream().findFirst())
                .map(workspace::relative).orElse(workspace.relative(exercise.mainDir(workspace.root())));
    }

    /**
     * The learner's file of the first frame of {@code failure}'s trace in one of them, else of a class its test's name
     * or message names ("the histogram loses…": {@code Histogram}), else of the class its test class is named after
     * ({@code HistogramTest}: {@code Histogram}).
     */
    private static Optional<Path> namedBy(CheckResult.TestOutcome failure, Exercise exercise, List<Path> files) {
        Map<String, Path> byClass = new LinkedHashMap<>();
        for (Path f : files) {
            byClass.put(f.getFileName().toString().replaceFirst("\\.java$", ""), f);
        }
        String trace = failure.trace() == null ? "" : failure.trace();
        Matcher frame = Pattern.compile("at " + Pattern.quote(
                exercise.packageName() + ".") + "(\\w+)").matcher(trace);
        while (frame.find()) {
            if (byClass.containsKey(frame.group(1))) {
                return Optional.of(byClass.get(frame.group(1)));
            }
        }
        String words = failure.name() + " " + (failure.message() == null ? "" : failure.message());
        String testClass = failure.className() == null ? "" : failure.className();
        return byClass.entrySet().stream()
                .filter(e -> Pattern.compile("\\b" + e.getKey() + "\\b", Pattern.CASE_INSENSITIVE).matcher(words)
                        .find())
                .map(Map.Entry::getValue).findFirst()
                .or(() -> Optional.ofNullable(byClass.get(testClass.substring(testClass.lastIndexOf('.') + 1)
                        .replaceFirst("Test$", ""))));
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
