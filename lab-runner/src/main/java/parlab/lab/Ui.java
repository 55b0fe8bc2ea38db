package parlab.lab;

import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Everything the runner prints: results, lists, the progress bar. ANSI colours only on a terminal. */
public final class Ui {
    private static final int SHOWN_FAILURES = 5;
    private static final int MESSAGE_LINES = 14;
    private final boolean color;

    public Ui(boolean color) {
        this.color = color;
    }

    public static Ui forStdout() {
        boolean terminal = System.console() != null && System.console().isTerminal();
        return new Ui(terminal && System.getenv("NO_COLOR") == null && !"dumb".equals(System.getenv("TERM")));
    }

    public String green(String s) {
        return paint("32", s);
    }

    public String red(String s) {
        return paint("31", s);
    }

    public String yellow(String s) {
        return paint("33", s);
    }

    public String bold(String s) {
        return paint("1", s);
    }

    public String dim(String s) {
        return paint("2", s);
    }

    private String paint(String code, String s) {
        return color ? "\u001b[" + code + "m" + s + "\u001b[0m" : s;
    }

    public String header(Exercise e) {
        return bold(e.code() + " " + e.id()) + " · " + e.title() + dim("  (" + e.difficulty() + ")");
    }

    /** {@code ████████░░░░░░░░ 3/8 done}. */
    public String progressBar(int done, int total, int width) {
        int filled = total == 0 ? 0 : Math.round((float) width * done / total);
        return green("█".repeat(filled)) + dim("░".repeat(width - filled)) + " " + done + "/" + total + " done";
    }

    /** "✗ does not compile" with {@code after} on its line, then javac's messages, indented. */
    public void printCompileErrors(PrintStream out, List<String> errors, String after) {
        out.println(red("✗ does not compile") + after);
        errors.forEach(e -> out.println(indent(e, "  ")));
    }

    /** A check's result in a few lines: what failed, why, and where. */
    public void printResult(PrintStream out, CheckResult result) {
        String time = dim(String.format(Locale.ROOT, "%.2f s", result.elapsed().toMillis() / 1000.0));
        switch (result.outcome()) {
            case PASSED -> out.println(green("✓ all " + result.tests().size() + " tests pass") + "  " + time);
            case COMPILE_ERROR -> printCompileErrors(out, result.compileErrors(), "  " + time);
            case NO_TESTS, CRASHED -> {
                out.println(red("✗ " + result.problem().lines().findFirst().orElse("")) + "  " + time);
                result.problem().lines().skip(1).limit(MESSAGE_LINES).forEach(l -> out.println("  " + l));
                printFailures(out, result);
                if (!result.output().isBlank()) {
                    out.println(dim("  output of the test JVM (last lines):"));
                    result.output().lines().skip(Math.max(0, result.output().lines().count() - 15))
                            .forEach(l -> out.println(dim("  | " + l)));
                }
            }
            case FAILED -> {
                out.println(red("✗ " + result.failures().size() + " of " + result.tests().size() + " tests fail")
                        + "  " + time);
                printFailures(out, result);
                if (result.problem() != null) {
                    out.println(yellow("  " + result.problem()));
                }
            }
        }
    }

    private void printFailures(PrintStream out, CheckResult result) {
        List<CheckResult.TestOutcome> failures = result.failures();
        // Failures that only say "not written yet" are grouped: one line per TODO, not one per test.
        Map<String, Integer> todos = new LinkedHashMap<>();
        List<CheckResult.TestOutcome> others = new ArrayList<>();
        for (CheckResult.TestOutcome f : failures) {
            if (f.kind().equals("todo")) {
                todos.merge(todoText(f.message()), 1, Integer::sum);
            } else {
                others.add(f);
            }
        }
        todos.forEach((todo, count) -> out.println("  " + yellow("… " + todo) + dim("  (" + count
                + (count == 1 ? " test waits" : " tests wait") + " for it)")));
        java.util.Set<String> explained = new java.util.HashSet<>();
        for (CheckResult.TestOutcome f : others.subList(0, Math.min(SHOWN_FAILURES, others.size()))) {
            out.println("  " + red("✗ ") + bold(testName(f)) + kindLabel(f.kind()));
            if (List.of("deadlock", "timeout", "leak", "oom").contains(f.kind()) && !explained.add(f.kind())) {
                continue; // the first one of its kind said it all
            }
            List<String> message = readable(f.message());
            message.stream().limit(MESSAGE_LINES).forEach(l -> out.println("      " + l));
            if (message.size() > MESSAGE_LINES) {
                out.println(dim("      …"));
            }
            f.trace().lines().limit(4).forEach(l -> out.println(dim("    " + l.strip())));
        }
        if (others.size() > SHOWN_FAILURES) {
            out.println(dim("  … and " + (others.size() - SHOWN_FAILURES) + " more failing tests"));
        }
    }

    /** A failure message without the stack traces AssertJ embeds in it (the trace is shown apart) and blank lines. */
    static List<String> readable(String message) {
        return message.lines()
                .filter(l -> !l.isBlank())
                .filter(l -> !l.startsWith("\tat ") && !l.startsWith("\t...("))
                .toList();
    }

    private static String todoText(String message) {
        int at = message.indexOf("TODO");
        String text = at >= 0 ? message.substring(at) : message;
        return text.lines().findFirst().orElse(text);
    }

    private String kindLabel(String kind) {
        return switch (kind) {
            case "deadlock" -> red("  [deadlock]");
            case "timeout" -> red("  [hangs]");
            case "leak" -> yellow("  [leaks threads or processes]");
            case "oom" -> red("  [out of memory]");
            case "error" -> yellow("  [unexpected exception]");
            default -> "";
        };
    }

    /** {@code orderIsKept} and display name {@code [3 workers]} become "order is kept [3 workers]". */
    public static String testName(CheckResult.TestOutcome test) {
        String method = test.method();
        if (method == null || method.isBlank()) {
            return test.name();
        }
        String words = method.replaceAll("([a-z0-9])([A-Z])", "$1 $2").replaceAll("([A-Z])([A-Z][a-z])", "$1 $2")
                .toLowerCase(Locale.ROOT);
        String display = test.name();
        boolean generated = display.startsWith(method + "(") || display.equals(method);
        return generated ? words : words + " " + display;
    }

    public static String indent(String text, String prefix) {
        return text.lines().map(l -> prefix + l).reduce((a, b) -> a + "\n" + b).orElse("");
    }

    public static String seconds(Duration d) {
        return String.format(Locale.ROOT, "%.1f s", d.toMillis() / 1000.0);
    }
}
