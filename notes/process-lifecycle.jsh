// Process lifecycle — run with: jshell notes/process-lifecycle.jsh
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

void check(boolean ok, String message) { if (!ok) throw new AssertionError(message); }

// The child: a tiny Java program, run from source. Its shutdown hook leaves a marker file (args[0]) as proof that
// it ran; with args[1] = "stubborn" the hook then hangs, like a cleanup that never finishes.
// It prints "ready <pid>", then obeys one line from stdin: "exit N" ends with exit code N; anything else waits.
String CHILD = """
    import java.nio.file.*;
    class Child {
        public static void main(String[] args) throws Exception {
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    Files.writeString(Path.of(args[0]), "shutdown hook ran");
                    if (args[1].equals("stubborn")) Thread.sleep(60_000);
                } catch (Exception e) { }
            }));
            System.out.println("ready " + ProcessHandle.current().pid());
            System.out.flush();
            String command = new java.io.BufferedReader(new java.io.InputStreamReader(System.in)).readLine();
            if (command != null && command.startsWith("exit ")) System.exit(Integer.parseInt(command.substring(5)));
            Thread.sleep(60_000);
        }
    }
    """;

// Start a child JVM with the same JDK as this one. The two -XX flags only make a short-lived JVM start faster.
Process startChild(Path source, Path marker, String mode) throws IOException {
    String java = ProcessHandle.current().info().command().orElseThrow();
    return new ProcessBuilder(java, "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", source.toString(), marker.toString(), mode)
            .redirectError(ProcessBuilder.Redirect.DISCARD)     // nobody reads stderr here, so do not pipe it
            .start();
}

void lifecycle() throws Exception {
    Path dir = Files.createTempDirectory("lifecycle");
    Path source = Files.writeString(dir.resolve("Child.java"), CHILD);
    Path markerA = dir.resolve("a.marker"), markerB = dir.resolve("b.marker");
    Process a = null, b = null;
    try {
        a = startChild(source, markerA, "normal");              // both start at once: their start-up overlaps
        b = startChild(source, markerB, "stubborn");
        for (var p : List.of(a, b)) {
            String ready = p.inputReader().readLine();           // blocks until the child runs main()
            check(("ready " + p.pid()).equals(ready), "the child reports the pid the parent sees: " + ready);
            check(p.toHandle().parent().orElseThrow().equals(ProcessHandle.current()), "this JVM is the child's parent");
        }
        System.out.printf("parent %d started children %d and %d; alive: %b, %b%n",
                ProcessHandle.current().pid(), a.pid(), b.pid(), a.isAlive(), b.isAlive());

        // 1. The child decides: it exits with code 3. onExit() is a callback; waitFor() blocks.
        var exitCode = a.onExit().thenApply(Process::exitValue);
        var w = a.outputWriter();
        w.write("exit 3\n");
        w.flush();
        check(a.waitFor(10, TimeUnit.SECONDS), "child A exited by itself");
        System.out.printf("A: exit(3)          -> exit code %d, %s%n", a.exitValue(), Files.readString(markerA));
        check(a.exitValue() == 3 && exitCode.get() == 3, "exit code 3, seen by waitFor and by onExit");

        // 2. The parent asks politely (SIGTERM on Linux/macOS), waits a little, then insists (SIGKILL).
        b.destroy();
        boolean endedPolitely = b.waitFor(300, TimeUnit.MILLISECONDS);
        b.destroyForcibly();
        check(b.waitFor(10, TimeUnit.SECONDS), "nothing survives destroyForcibly()");
        System.out.printf("B: destroy()        -> still alive after 300 ms: %b (its shutdown hook hangs)%n", !endedPolitely);
        System.out.printf("B: destroyForcibly() -> exit code %d%n", b.exitValue());
        if (b.supportsNormalTermination()) {                     // true on Linux and macOS; on Windows destroy() kills at once
            check(!endedPolitely, "a JVM whose shutdown hook hangs does not end on SIGTERM");
            check(Files.readString(markerB).equals("shutdown hook ran"), "SIGTERM ran the shutdown hook");
            check(b.exitValue() == 128 + 9, "killed by signal 9: exit code 128 + 9 = 137");
        }
    } finally {
        for (var p : new Process[] {a, b})                        // never leave an orphan behind, even on failure
            if (p != null) p.destroyForcibly().waitFor();
        for (var f : List.of(markerA, markerB, source)) Files.deleteIfExists(f);
        Files.delete(dir);
    }
    check(!a.isAlive() && !b.isAlive(), "no child outlives the demo");
}

lifecycle();
/exit
