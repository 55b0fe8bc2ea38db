package parlab.lab;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import org.jline.terminal.Attributes;
import org.jline.terminal.Terminal;
import org.jline.terminal.TerminalBuilder;
import org.jline.utils.NonBlockingReader;

/**
 * Watch mode: shows one exercise, re-checks it whenever one of its files is saved, and answers keys.
 *
 * <p>Three threads feed one event queue: the key reader, the file watcher, and the checker (one check at a time,
 * in a child JVM, so learner code cannot freeze this screen). The main loop owns all state and draws the screen.
 */
final class Watch {
    private sealed interface Event permits Key, Saved, Checked, Quit {
    }

    private record Key(int code) implements Event {
    }

    private record Saved(Exercise exercise) implements Event {
    }

    private record Checked(Exercise exercise, CheckResult result) implements Event {
    }

    private record Quit() implements Event {
    }

    private final Lab lab;
    private final BlockingQueue<Event> events = new LinkedBlockingQueue<>();
    private volatile Exercise current;
    private CheckResult result;
    private boolean checking;
    private boolean recheck;
    private boolean confirmReset;
    private String message = "";

    Watch(Lab lab) {
        this.lab = lab;
    }

    int run(Exercise start) throws java.io.IOException, InterruptedException {
        if (start == null) {
            System.out.println(lab.ui().green("✓ Every exercise passes. ") + "./lab list shows them; ./lab solution <id> "
                    + "compares yours with the reference.");
            return 0;
        }
        if (System.console() == null || !System.console().isTerminal()) {
            System.out.println("Watch mode needs a terminal; checking " + start.label() + " once instead.");
            Main.CheckCommand check = new Main.CheckCommand();
            check.id = start.id();
            return check.call();
        }
        try (Terminal terminal = TerminalBuilder.builder().system(true).nativeSignals(true).build();
                ExecutorService checks = Executors.newSingleThreadExecutor(Thread.ofPlatform().name("lab-check").factory());
                FileWatcher watcher = new FileWatcher(() -> events.add(new Saved(current)))) {
            Attributes saved = terminal.enterRawMode();
            terminal.handle(Terminal.Signal.INT, signal -> events.add(new Quit()));
            Thread keys = Thread.ofPlatform().daemon().name("lab-keys").start(() -> readKeys(terminal.reader()));
            PrintStream screen = new PrintStream(terminal.output(), true, StandardCharsets.UTF_8);
            try {
                open(start, watcher, checks);
                loop(screen, watcher, checks);
            } finally {
                lab.checker().close(); // a check still running ends now: quitting never waits for learner code
                checks.shutdownNow();
                keys.interrupt();
                terminal.setAttributes(saved);
                screen.println();
            }
        }
        return 0;
    }

    private void loop(PrintStream screen, FileWatcher watcher, ExecutorService checks) throws InterruptedException {
        draw(screen);
        while (true) {
            Event event = events.take();
            switch (event) {
                case Quit q -> {
                    return;
                }
                case Saved s when s.exercise().equals(current) -> startCheck(checks);
                case Saved s -> { }
                case Checked c when c.exercise().equals(current) -> {
                    checking = false;
                    result = c.result();
                    lab.checker().prewarm(current, Checker.Side.LEARNER);
                    if (recheck) {
                        recheck = false;
                        startCheck(checks);
                    }
                }
                case Checked c -> checking = false;
                case Key k -> {
                    if (!onKey(k.code(), watcher, checks)) {
                        return;
                    }
                }
            }
            draw(screen);
        }
    }

    /** Returns false to quit. */
    private boolean onKey(int key, FileWatcher watcher, ExecutorService checks) {
        if (confirmReset) {
            confirmReset = false;
            if (key == 'y' || key == 'Y') {
                List<String> restored = Pristine.restore(lab.workspace(), current);
                lab.state().forget(current);
                message = lab.ui().green("✓ ") + "restored " + restored.size() + " files of " + current.label();
                startCheck(checks);
            } else {
                message = "Nothing changed.";
            }
            return true;
        }
        message = "";
        switch (key) {
            case 'q', 'Q', 3, 4 -> {
                return false;
            }
            case 'h', 'H' -> message = capture(out -> lab.printNextHint(current, out));
            case 'r', 'R' -> startCheck(checks);
            case 'l', 'L' -> message = listing();
            case 'x', 'X' -> {
                confirmReset = true;
                message = lab.ui().yellow("Reset " + current.label() + " to its skeleton? Your changes will be lost. "
                        + "[y/N]");
            }
            case 'n', 'N' -> {
                if (result == null || !result.passed()) {
                    message = lab.ui().yellow("This exercise does not pass yet: n works once all its tests pass.");
                } else {
                    var next = lab.firstUnfinished().filter(e -> !e.equals(current)).or(() -> lab.after(current));
                    if (next.isEmpty()) {
                        message = lab.ui().green("✓ That was the last exercise. Well done!");
                    } else {
                        open(next.get(), watcher, checks);
                    }
                }
            }
            default -> { }
        }
        return true;
    }

    private void open(Exercise exercise, FileWatcher watcher, ExecutorService checks) {
        current = exercise;
        result = null;
        try {
            watcher.watch(List.of(exercise.mainDir(lab.workspace().root()), exercise.testDir(lab.workspace().root())));
        } catch (java.io.UncheckedIOException e) {
            message = lab.ui().red("cannot watch the files of " + exercise.label() + ": " + e.getMessage());
        }
        startCheck(checks);
    }

    private void startCheck(ExecutorService checks) {
        if (checking) {
            recheck = true;
            return;
        }
        checking = true;
        Exercise exercise = current;
        checks.execute(() -> {
            CheckResult r;
            try {
                r = lab.checkAndRecord(exercise);
            } catch (RuntimeException e) {
                r = new CheckResult(exercise, Checker.Side.LEARNER, CheckResult.Outcome.CRASHED, List.of(), List.of(),
                        "the check itself failed: " + e.getMessage(), "", java.time.Duration.ZERO);
            }
            events.add(new Checked(exercise, r));
        });
    }

    private void draw(PrintStream screen) {
        Ui ui = lab.ui();
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(buffer, false, StandardCharsets.UTF_8);
        out.print("\u001b[H\u001b[2J");
        out.println(ui.header(current));
        out.println(ui.dim("edit " + lab.fileToEdit(current, result) + "   theory: " + current.note()));
        out.println();
        if (result == null) {
            out.println(ui.dim("checking…"));
        } else {
            lab.ui().printResult(out, result);
            if (checking) {
                out.println(ui.dim("checking again…"));
            } else if (result.passed()) {
                out.println();
                out.println(ui.green("Press n for the next exercise") + ui.dim(" · ./lab solution " + current.id()
                        + " shows the reference beside yours"));
            }
        }
        if (!message.isEmpty()) {
            out.println();
            out.println(message);
        }
        out.println();
        out.println(ui.progressBar(lab.doneCount(), lab.catalog().all().size(), 30));
        out.println(ui.dim("h hint · n next · l list · r re-run · x reset · q quit"));
        out.flush();
        screen.print(buffer.toString(StandardCharsets.UTF_8).replace("\n", "\r\n"));
        screen.flush();
    }

    private String listing() {
        return capture(out -> {
            for (Exercise e : lab.catalog().all()) {
                String mark = lab.isDone(e) ? lab.ui().green("✓") : lab.ui().dim("·");
                out.printf("%s %-6s %-" + lab.catalog().idWidth() + "s %s%s%n", mark, e.code(), e.id(), e.title(),
                        e.equals(current) ? lab.ui().yellow(" ← here") : "");
            }
        });
    }

    private static String capture(java.util.function.Consumer<PrintStream> printer) {
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(buffer, true, StandardCharsets.UTF_8);
        printer.accept(out);
        return buffer.toString(StandardCharsets.UTF_8).stripTrailing();
    }

    private void readKeys(NonBlockingReader reader) {
        try {
            while (!Thread.currentThread().isInterrupted()) {
                int c = reader.read(200);
                if (c == NonBlockingReader.EOF) {
                    events.add(new Quit());
                    return;
                }
                if (c >= 0) {
                    events.add(new Key(c));
                }
            }
        } catch (java.io.IOException e) {
            events.add(new Quit());
        }
    }
}
