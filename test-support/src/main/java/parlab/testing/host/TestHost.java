package parlab.testing.host;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.platform.engine.CancellationToken;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.discovery.ClassNameFilter;
import org.junit.platform.engine.discovery.DiscoverySelectors;
import org.junit.platform.engine.support.descriptor.MethodSource;
import org.junit.platform.launcher.Launcher;
import org.junit.platform.launcher.LauncherDiscoveryRequest;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherExecutionRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;
import tools.jackson.core.JsonGenerator;
import tools.jackson.core.ObjectWriteContext;
import tools.jackson.core.json.JsonFactory;

/**
 * The child-JVM side of the lab runner: runs one exercise's tests and reports each result as a line of JSON.
 *
 * <p>The runner starts this JVM ahead of time (so that class loading is done by the time the learner saves), then
 * writes {@code go} to its standard input once the exercise is compiled. Learner code runs only here: if it calls
 * {@code System.exit}, leaks a thread, deadlocks or runs out of memory, this JVM says so (or dies) and the runner
 * lives on. The JVM is used for one run only and then halts, whatever threads are left.
 *
 * <p>Usage: {@code TestHost <report-file> <test-classes-dir> [--wait]}
 */
public final class TestHost {
    /** One JSON object a line: no separator of Jackson's own (a space by default) before each line's object. */
    private static final JsonFactory JSON = JsonFactory.builder().rootValueSeparator((String) null).build();
    private static final AtomicReference<String> CURRENT_TEST = new AtomicReference<>();
    private static final AtomicReference<String> HUNG_TEST = new AtomicReference<>();
    /** Frames of these packages are the machinery around the learner's code, not worth showing. */
    private static final List<String> MACHINERY = List.of("java.", "javax.", "jdk.", "sun.", "com.sun.", "org.junit.",
            "org.assertj.", "org.opentest4j.", "org.awaitility.", "org.jetbrains.", "kotlin.", "parlab.testing.");
    private static volatile boolean finished;

    private TestHost() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length == 1 && args[0].equals("--warm-up")) { // the AOT cache's training run
            warmUp(LauncherFactory.create());
            return;
        }
        Path report = Path.of(args[0]);
        Path testClasses = Path.of(args[1]);
        boolean wait = false;
        List<String> include = List.of();
        List<String> exclude = List.of();
        for (int i = 2; i < args.length; i++) { // --wait, --include=a.B,a.C, --exclude=a.D
            if (args[i].equals("--wait")) {
                wait = true;
            } else if (args[i].startsWith("--include=")) {
                include = List.of(args[i].substring("--include=".length()).split(","));
            } else if (args[i].startsWith("--exclude=")) {
                exclude = List.of(args[i].substring("--exclude=".length()).split(","));
            }
        }
        try (OutputStream out = Files.newOutputStream(report);
                JsonGenerator json = JSON.createGenerator(ObjectWriteContext.empty(), out)) {
            Launcher launcher = LauncherFactory.create(); // loads the engines while the runner compiles
            Runtime.getRuntime().addShutdownHook(new Thread(() -> reportExit(json), "parlab-exit-report"));
            if (wait) {
                warmUp(launcher);
                String line = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
                if (!"go".equals(line)) {
                    finished = true;
                    Runtime.getRuntime().halt(0);
                }
            }
            // exercises that share a package run only their own test classes (and their nested classes)
            LauncherDiscoveryRequestBuilder discovery = LauncherDiscoveryRequestBuilder.request()
                    .selectors(DiscoverySelectors.selectClasspathRoots(Set.of(testClasses)));
            if (!include.isEmpty()) {
                discovery.filters(ClassNameFilter.includeClassNamePatterns(classPatterns(include)));
            }
            if (!exclude.isEmpty()) {
                discovery.filters(ClassNameFilter.excludeClassNamePatterns(classPatterns(exclude)));
            }
            LauncherDiscoveryRequest request = discovery.build();
            // After a test hangs, its spinning threads would slow every later test to its time limit too:
            // the remaining tests are cancelled and the runner says so.
            CancellationToken cancel = CancellationToken.create();
            try {
                launcher.execute(LauncherExecutionRequestBuilder.request(request)
                        .listeners(new Reporter(json, cancel)).cancellationToken(cancel).build());
            } catch (Throwable crash) { // JUnit rethrows what it cannot recover from, such as OutOfMemoryError
                synchronized (json) {
                    json.writeStartObject()
                            .writeStringProperty("type", "crash")
                            .writeStringProperty("test", String.valueOf(CURRENT_TEST.get()))
                            .writeStringProperty("message", crash.toString())
                            .writeStringProperty("trace", frames(crash))
                            .writeEndObject();
                    json.writeRaw('\n');
                    json.flush();
                    finished = true;
                }
                Runtime.getRuntime().halt(3);
            }
            synchronized (json) {
                if (cancel.isCancellationRequested()) {
                    json.writeStartObject().writeStringProperty("type", "cancelled")
                            .writeStringProperty("test", String.valueOf(HUNG_TEST.get())).writeEndObject();
                    json.writeRaw('\n');
                }
                json.writeStartObject().writeStringProperty("type", "done").writeEndObject();
                json.writeRaw('\n');
                json.flush();
                finished = true;
            }
        }
        System.out.flush();
        System.err.flush();
        Runtime.getRuntime().halt(0); // leaked non-daemon threads must not keep this JVM alive
    }

    /** A class and its nested classes, as {@link ClassNameFilter} patterns. */
    private static String[] classPatterns(List<String> classNames) {
        return classNames.stream().map(c -> java.util.regex.Pattern.quote(c) + "(\\$.*)?").toArray(String[]::new);
    }

    /** Runs {@link WarmUp}'s tests, reporting nothing, to load and warm what the learner's tests will use. */
    private static void warmUp(Launcher launcher) {
        launcher.execute(LauncherDiscoveryRequestBuilder.request()
                .selectors(DiscoverySelectors.selectClass(WarmUp.class)).build());
    }

    /** Runs when learner code calls {@code System.exit}: says which test did it and from where. */
    private static void reportExit(JsonGenerator json) {
        if (finished) {
            return;
        }
        String where = Thread.getAllStackTraces().entrySet().stream()
                .filter(e -> List.of(e.getValue()).stream().anyMatch(f -> f.getClassName().equals("java.lang.Shutdown")))
                .map(e -> frames(e.getValue(), null))
                .findFirst().orElse("");
        synchronized (json) {
            json.writeStartObject()
                    .writeStringProperty("type", "exit")
                    .writeStringProperty("test", String.valueOf(CURRENT_TEST.get()))
                    .writeStringProperty("trace", where)
                    .writeEndObject();
            json.writeRaw('\n');
            json.flush();
        }
    }

    private record Reporter(JsonGenerator json, CancellationToken cancel) implements TestExecutionListener {
        @Override
        public void executionStarted(TestIdentifier test) {
            if (test.isTest()) {
                CURRENT_TEST.set(test.getDisplayName());
            }
        }

        @Override
        public void executionFinished(TestIdentifier test, TestExecutionResult result) {
            if (!test.isTest() && result.getStatus() == TestExecutionResult.Status.SUCCESSFUL) {
                return;
            }
            Throwable failure = result.getThrowable().orElse(null);
            synchronized (json) {
                json.writeStartObject();
                json.writeStringProperty("type", "test");
                json.writeStringProperty("name", test.getDisplayName());
                test.getSource().filter(MethodSource.class::isInstance).map(MethodSource.class::cast).ifPresent(m -> {
                    json.writeStringProperty("class", m.getClassName());
                    json.writeStringProperty("method", m.getMethodName());
                });
                json.writeStringProperty("status", result.getStatus().name());
                if (failure != null) {
                    String kind = Failures.kind(failure);
                    if (kind.equals("timeout") && HUNG_TEST.compareAndSet(null, test.getDisplayName())) {
                        cancel.cancel();
                    }
                    json.writeStringProperty("kind", kind);
                    json.writeStringProperty("message", Failures.message(failure));
                    json.writeStringProperty("trace", frames(failure));
                }
                json.writeEndObject();
                json.writeRaw('\n');
                json.flush();
            }
        }
    }

    private static String frames(Throwable failure) {
        StringBuilder out = new StringBuilder();
        Throwable root = failure;
        Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        while (root.getCause() != null && seen.add(root)) { // a cause chain can loop back on itself
            root = root.getCause();
        }
        out.append(frames(root.getStackTrace(), root == failure ? null : root.toString()));
        return out.toString();
    }

    /** The frames worth showing a learner: their own code and the test's, not the frameworks'. */
    private static String frames(StackTraceElement[] stack, String header) {
        StringWriter text = new StringWriter();
        PrintWriter out = new PrintWriter(text);
        if (header != null) {
            out.println(header);
        }
        List<StackTraceElement> shown = new ArrayList<>();
        for (StackTraceElement frame : stack) {
            String cls = frame.getClassName();
            if (MACHINERY.stream().noneMatch(cls::startsWith)) {
                shown.add(frame);
            }
        }
        shown.stream().limit(8).forEach(f -> out.println("    at " + where(f)));
        return text.toString();
    }

    /** {@code parlab.x.Y.m(Y.java:5)}: a frame without the "app//" that frames taken from a live thread carry. */
    private static String where(StackTraceElement frame) {
        String text = frame.toString();
        return text.substring(text.lastIndexOf('/', text.indexOf('(')) + 1);
    }
}
