package parlab.lab;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.StandardLocation;
import javax.tools.ToolProvider;

/**
 * Compiles one exercise's files in this JVM with {@code javax.tools}: a fraction of a second once warm, against a
 * whole Maven build. Not thread-safe: one compilation at a time.
 */
public final class Compiler {
    private static final int MAX_ERRORS = 8;
    private final JavaCompiler javac;
    private final StandardJavaFileManager files;
    private final Workspace workspace;

    public Compiler(Workspace workspace) {
        this.workspace = workspace;
        this.javac = ToolProvider.getSystemJavaCompiler();
        if (javac == null) {
            throw new LabException("this Java runtime has no compiler (java.home=" + System.getProperty("java.home")
                    + "): ./lab needs a full JDK 25, not a JRE");
        }
        this.files = javac.getStandardFileManager(null, Locale.ROOT, StandardCharsets.UTF_8);
    }

    /** Errors in the learner's terms (file:line, the line, a caret); empty when it compiled. */
    public record Result(List<String> errors) {
        public boolean ok() {
            return errors.isEmpty();
        }
    }

    /**
     * Compiles {@code sources} into {@code out}, emptied first so that no class from an earlier version lingers.
     *
     * @param processorPath annotation processors to run (JMH's generator), or empty for none
     */
    public synchronized Result compile(List<Path> sources, Path out, List<Path> classpath, List<Path> processorPath) {
        emptyDirectory(out);
        try {
            files.setLocationFromPaths(StandardLocation.CLASS_OUTPUT, List.of(out));
            files.setLocationFromPaths(StandardLocation.CLASS_PATH, classpath);
            if (!processorPath.isEmpty()) {
                files.setLocationFromPaths(StandardLocation.ANNOTATION_PROCESSOR_PATH, processorPath);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<String> options = new ArrayList<>(List.of("--release", "25", "-g", "-encoding", "UTF-8", "-Xlint:none",
                "-implicit:none"));
        options.add(processorPath.isEmpty() ? "-proc:none" : "-proc:full");
        DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
        StringWriter javacOutput = new StringWriter();
        Iterable<? extends JavaFileObject> units = files.getJavaFileObjectsFromPaths(sources);
        boolean ok = javac.getTask(javacOutput, files, diagnostics, options, null, units).call();
        List<String> errors = new ArrayList<>();
        for (Diagnostic<? extends JavaFileObject> d : diagnostics.getDiagnostics()) {
            if (d.getKind() == Diagnostic.Kind.ERROR && errors.size() < MAX_ERRORS) {
                errors.add(describe(d));
            }
        }
        if (!ok && errors.isEmpty()) {
            errors.add(javacOutput.toString().isBlank() ? "javac failed without a message" : javacOutput.toString());
        }
        return new Result(errors);
    }

    private String describe(Diagnostic<? extends JavaFileObject> d) {
        if (d.getSource() == null) {
            return d.getMessage(Locale.ROOT);
        }
        Path file = Path.of(d.getSource().toUri());
        StringBuilder out = new StringBuilder()
                .append(workspace.relative(file)).append(':').append(d.getLineNumber()).append(": ")
                .append(d.getMessage(Locale.ROOT));
        try {
            List<String> lines = Files.readAllLines(file);
            int line = (int) d.getLineNumber();
            if (line >= 1 && line <= lines.size()) {
                String text = lines.get(line - 1);
                out.append("\n    ").append(text.stripTrailing());
                long column = d.getColumnNumber();
                if (column >= 1 && column <= text.length() + 1) {
                    out.append("\n    ").append(" ".repeat((int) column - 1)).append('^');
                }
            }
        } catch (IOException ignored) {
            // the message alone still helps
        }
        return out.toString();
    }

    static void emptyDirectory(Path dir) {
        try {
            Files.createDirectories(dir);
            try (Stream<Path> walk = Files.walk(dir)) {
                walk.sorted(Comparator.reverseOrder()).filter(p -> !p.equals(dir)).forEach(p -> p.toFile().delete());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
