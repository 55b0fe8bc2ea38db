package parlab.lab;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import jdk.jshell.JShell;
import jdk.jshell.Snippet;
import jdk.jshell.SnippetEvent;
import jdk.jshell.SourceCodeAnalysis;

/** Runs a note's JShell script snippet by snippet, as {@code jshell notes/x.jsh} would, and says what broke. */
final class Notes {
    private Notes() {
    }

    record Result(Path script, String problem, String output) {
        boolean ok() {
            return problem == null;
        }
    }

    static List<Path> scripts(Workspace workspace) {
        Path dir = workspace.root().resolve("notes");
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(p -> p.toString().endsWith(".jsh")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Result run(Path script) {
        // JShell commands (/exit and friends) are for interactive runs; the snippets are what must work.
        String source = Main.read(script).lines().filter(l -> !l.strip().startsWith("/") || l.strip().startsWith("//"))
                .collect(Collectors.joining("\n"));
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(captured, true, StandardCharsets.UTF_8);
        PrintStream realOut = System.out;
        PrintStream realErr = System.err;
        System.setOut(out);
        System.setErr(out);
        try (JShell shell = JShell.builder().out(out).err(out).executionEngine("local").build()) {
            SourceCodeAnalysis analysis = shell.sourceCodeAnalysis();
            String remaining = source;
            while (!remaining.isBlank()) {
                SourceCodeAnalysis.CompletionInfo info = analysis.analyzeCompletion(remaining);
                if (info.completeness() == SourceCodeAnalysis.Completeness.EMPTY) {
                    break;
                }
                if (!info.completeness().isComplete()) {
                    return new Result(script, "an incomplete snippet at the end: " + first(remaining), text(captured));
                }
                remaining = info.remaining();
                List<SnippetEvent> events;
                try {
                    events = shell.eval(info.source());
                } catch (RuntimeException jshellFailed) { // JShell's own bugs must fail the note, not the verifier
                    return new Result(script, "JShell failed on: " + first(info.source()) + " — " + jshellFailed,
                            text(captured));
                }
                for (SnippetEvent event : events) {
                    if (event.status() == Snippet.Status.REJECTED) {
                        String why = shell.diagnostics(event.snippet())
                                .map(d -> d.getMessage(java.util.Locale.ROOT)).collect(Collectors.joining("; "));
                        return new Result(script, "does not compile: " + first(info.source()) + " — " + why,
                                text(captured));
                    }
                    if (event.exception() != null) {
                        String what = event.exception() instanceof jdk.jshell.EvalException eval
                                ? eval.getExceptionClassName() + ": " + eval.getMessage()
                                : event.exception().toString();
                        return new Result(script, "throws " + what + " in: " + first(info.source()), text(captured));
                    }
                }
            }
            return new Result(script, null, text(captured));
        } finally {
            System.setOut(realOut);
            System.setErr(realErr);
        }
    }

    private static String first(String snippet) {
        String line = snippet.strip().lines().findFirst().orElse("");
        return line.length() > 80 ? line.substring(0, 80) + "…" : line;
    }

    private static String text(ByteArrayOutputStream captured) {
        return captured.toString(StandardCharsets.UTF_8);
    }
}
