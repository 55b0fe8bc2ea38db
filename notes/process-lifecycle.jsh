// Process lifecycle — run with: jshell notes/process-lifecycle.jsh
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

void check(boolean ok, String message) { if (!ok) throw new AssertionError(message); }

// The child: a tiny Java program, run from source. It prints "ready <pid>", then obeys one line from stdin:
// "exit N" ends with exit code N; anything else makes it wait to be killed. Its shutdown hook says so on stdout;
// with the argument "stubborn" the hook then hangs, like a cleanup that never finishes.
String CHILD = """
    class Child {
        public static void main(String[] args) throws Exception {
            boolean stubborn = args.length > 0 && args[0].equals("stubborn");
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                System.out.println("shutdown hook running");
                System.out.flush();
                if (stubborn) {
                    try { Thread.sleep(60_000); } catch (InterruptedException e) { }
                }
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
Process startChild(Path source, String mode) throws IOException {
    String java = ProcessHandle.current().info().command().orElseThrow();
    return new ProcessBuilder(java, "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", source.toString(), mode)
            .redirectError(ProcessBuilder.Redirect.DISCARD)     // nobody reads stderr here, so do not pipe it
            .start();
}

void lifecycle() throws Exception {
    Path dir = Files.createTempDirectory("lifecycle");
    Path source = Files.writeString(dir.resolve("Child.java"), CHILD);
    Process a = null, b = null;
    try {
        a = startChild(source, "normal");                       // both start at once: their start-ups overlap
        b = startChild(source, "stubborn");
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
        List<String> lastWords = a.inputReader().readAllLines();   // until end-of-file: the child is gone
        check(a.waitFor(30, TimeUnit.SECONDS), "child A exited by itself");
        System.out.printf("A: exit(3)           -> exit code %d, then said %s%n", a.exitValue(), lastWords);
        check(a.exitValue() == 3 && exitCode.get() == 3, "exit code 3, seen by waitFor and by onExit");
        check(lastWords.equals(List.of("shutdown hook running")), "System.exit runs the shutdown hooks");

        // 2. The parent asks politely (SIGTERM on Linux/macOS), waits a little, then insists (SIGKILL).
        //    ProcessHandle.destroy() only sends the signal; Process.destroy() would also close our end of the pipes,
        //    and we could not read what the child says while it shuts down.
        b.toHandle().destroy();
        if (b.supportsNormalTermination()) {                     // true on Linux and macOS; on Windows destroy() kills at once
            String said = b.inputReader().readLine();
            check("shutdown hook running".equals(said), "SIGTERM started the child's shutdown hook");
            check(!b.waitFor(300, TimeUnit.MILLISECONDS), "a JVM whose shutdown hook hangs does not end on SIGTERM");
            System.out.printf("B: destroy()         -> said \"%s\", still alive after 300 ms: %b%n", said, b.isAlive());
        }
        b.destroyForcibly();
        check(b.waitFor(30, TimeUnit.SECONDS), "nothing survives destroyForcibly()");
        System.out.printf("B: destroyForcibly() -> exit code %d%n", b.exitValue());
        if (b.supportsNormalTermination())
            check(b.exitValue() == 128 + 9, "killed by signal 9: exit code 128 + 9 = 137");
    } finally {
        for (var p : new Process[] {a, b})                        // never leave an orphan behind, even on failure
            if (p != null) p.destroyForcibly().waitFor();
        Files.delete(source);
        Files.delete(dir);
    }
    check(!a.isAlive() && !b.isAlive(), "no child outlives the demo");
}

lifecycle();
/exit
