package parlab.testing;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Starts a child JVM on the test's own class path, running another class's {@code main}, and makes sure it is
 * gone afterwards: {@code try (var child = ChildJvm.start(Worker.class, "arg")) { ... }} destroys the child (and
 * its descendants) on close, politely first and forcibly after a grace period.
 */
public final class ChildJvm implements AutoCloseable {
    private static final Duration GRACE = Duration.ofSeconds(2);
    private final Process process;

    private ChildJvm(Process process) {
        this.process = process;
    }

    /** The {@code java} launcher of the running JVM. */
    public static Path javaBinary() {
        return Path.of(System.getProperty("java.home"), "bin", "java");
    }

    /**
     * The command that runs {@code mainClass} in a child JVM on this JVM's class path and native library path (where
     * {@code ./lab} puts DuckDB's library, unpacked once: a child that unpacked its own copy into a temporary file
     * would leave 70 MB behind whenever it is killed).
     */
    public static List<String> command(Class<?> mainClass, List<String> jvmOptions, String... args) {
        List<String> command = new ArrayList<>();
        command.add(javaBinary().toString());
        command.add("-Djava.library.path=" + System.getProperty("java.library.path"));
        command.addAll(jvmOptions);
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(mainClass.getName());
        command.addAll(List.of(args));
        return command;
    }

    /** Starts {@code mainClass} with small-heap defaults; stderr is kept apart from stdout. */
    public static ChildJvm start(Class<?> mainClass, String... args) throws IOException {
        return start(mainClass, List.of("-Xmx128m", "-XX:TieredStopAtLevel=1", "-Xshare:auto"), args);
    }

    public static ChildJvm start(Class<?> mainClass, List<String> jvmOptions, String... args) throws IOException {
        return new ChildJvm(new ProcessBuilder(command(mainClass, jvmOptions, args)).start());
    }

    public Process process() {
        return process;
    }

    /** Waits for the child to exit and returns its exit code; fails the test if it takes longer than {@code limit}. */
    public int waitFor(Duration limit) throws InterruptedException {
        if (!process.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new AssertionError("child JVM " + process.pid() + " did not exit within " + limit);
        }
        return process.exitValue();
    }

    @Override
    public void close() {
        destroy(process.toHandle());
    }

    /** Destroys a process tree: descendants first, then the process; politely, then forcibly after a grace period. */
    public static void destroy(ProcessHandle process) {
        process.descendants().forEach(ProcessHandle::destroy);
        process.destroy();
        try {
            process.onExit().get(GRACE.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception timedOut) {
            // falls through to the forcible kill
        }
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
    }
}
