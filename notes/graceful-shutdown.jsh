// Graceful shutdown — run with: jshell notes/graceful-shutdown.jsh
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.tools.ToolProvider;

void check(boolean ok, String message) { if (!ok) throw new AssertionError(message); }

// The child: a service whose worker takes items one by one and prints "start i" and "done i" for each.
// Its mode says how it meets SIGTERM:
//   graceful  a shutdown hook stops intake, waits up to 5 s for the item in flight, flushes, and halts with 0
//   plain     no hook: the JVM exits at once with 143 (128 + SIGTERM's 15), mid-item
//   stuck     item 2 never finishes: the hook waits 300 ms, gives up and halts with 4, the "deadline passed" code
String SERVICE = """
    import java.util.concurrent.CountDownLatch;
    import java.util.concurrent.atomic.AtomicBoolean;
    class Service {
        public static void main(String[] args) throws Exception {
            String mode = args[0];
            var accepting = new AtomicBoolean(true);
            Thread worker = Thread.ofPlatform().name("worker").unstarted(() -> {
                try {
                    for (int i = 1; accepting.get(); i++) {           // intake only while accepting
                        System.out.println("start " + i);
                        if (mode.equals("stuck") && i == 2) new CountDownLatch(1).await();   // never ends
                        Thread.sleep(20);                            // the work of one item
                        System.out.println("done " + i);
                    }
                } catch (InterruptedException e) { }
            });
            if (!mode.equals("plain")) {
                long deadlineMillis = mode.equals("graceful") ? 5_000 : 300;
                Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                    accepting.set(false);                            // 1. stop intake
                    try { worker.join(deadlineMillis); }             // 2. let the item in flight finish, within a deadline
                    catch (InterruptedException e) { }
                    boolean drained = !worker.isAlive();
                    System.out.println(drained ? "drained" : "deadline passed");
                    System.out.flush();                              // 3. flush what we owe
                    Runtime.getRuntime().halt(drained ? 0 : 4);      // 4. our exit code (System.exit here would hang)
                }));
            }
            worker.start();
        }
    }
    """;

// Compile the child once, in this JVM (JShell has already loaded javac), so that each child JVM starts fast.
Path compile(Path dir, String className, String source) throws IOException {
    Path file = Files.writeString(dir.resolve(className + ".java"), source);
    int rc = ToolProvider.getSystemJavaCompiler().run(null, null, null, "-d", dir.toString(), file.toString());
    check(rc == 0, "the child program compiles");
    return dir;
}

Process start(Path classes, String mode) throws IOException {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    return new ProcessBuilder(java, "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-cp", classes.toString(), "Service", mode)
            .redirectError(ProcessBuilder.Redirect.DISCARD)
            .start();
}

// Read the child's stdout until a line equals `line`; returns everything read so far.
List<String> readUntil(BufferedReader out, String line) throws IOException {
    var lines = new ArrayList<String>();
    for (String l; (l = out.readLine()) != null; ) { lines.add(l); if (l.equals(line)) return lines; }
    throw new AssertionError("the child ended before printing \"" + line + "\": " + lines);
}

// Every "start i" has its "done i": no accepted item was cut off.
boolean everyStartDone(List<String> lines) {
    return lines.stream().filter(l -> l.startsWith("start ")).allMatch(l -> lines.contains("done " + l.substring(6)));
}

void sigterm() throws Exception {
    Path dir = Files.createTempDirectory("shutdown");
    var children = new ArrayList<Process>();
    try {
        Path classes = compile(dir, "Service", SERVICE);
        for (String mode : List.of("graceful", "plain", "stuck")) children.add(start(classes, mode));   // start-ups overlap
        Process graceful = children.get(0), plain = children.get(1), stuck = children.get(2);

        // SIGTERM each one while it is in the middle of an item. ProcessHandle.destroy() sends the signal and leaves
        // our end of the pipe open, so we can read what the child says on its way out.
        String[] waitFor = {"start 3", "start 3", "start 2"};
        var seen = new ArrayList<List<String>>();
        for (int i = 0; i < 3; i++) {
            Process p = children.get(i);
            var out = p.inputReader();
            var lines = readUntil(out, waitFor[i]);
            check(p.supportsNormalTermination(), "destroy() sends SIGTERM on this platform");
            p.toHandle().destroy();
            lines.addAll(out.readAllLines());                   // until end of file: the child is gone
            check(p.waitFor(30, TimeUnit.SECONDS), "the child ended after SIGTERM");
            seen.add(lines);
        }

        var g = seen.get(0);
        check(graceful.exitValue() == 0, "graceful: the hook halted with 0, got " + graceful.exitValue());
        check(everyStartDone(g) && g.getLast().equals("drained"), "graceful: the item in flight was finished, then \"drained\"");
        System.out.printf("graceful: exit %d, %s ... %s%n", graceful.exitValue(), g.getFirst(), g.subList(g.size() - 3, g.size()));

        var p = seen.get(1);
        check(plain.exitValue() == 143, "plain: a JVM ended by SIGTERM exits with 128 + 15 = 143, got " + plain.exitValue());
        System.out.printf("plain:    exit %d, last line \"%s\", every started item done: %b%n",
                plain.exitValue(), p.getLast(), everyStartDone(p));

        var s = seen.get(2);
        check(stuck.exitValue() == 4, "stuck: past the deadline the hook halted with 4, got " + stuck.exitValue());
        check(s.getLast().equals("deadline passed") && !everyStartDone(s), "stuck: item 2 was never done, and the hook said so");
        System.out.printf("stuck:    exit %d, %s%n", stuck.exitValue(), s);
    } finally {
        for (var c : children) c.destroyForcibly().waitFor();   // nothing outlives the demo, even on failure
        try (var files = Files.walk(dir)) { files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete()); }
    }
    check(children.stream().noneMatch(Process::isAlive), "no child left running");
    check(!Files.exists(dir), "temporary files removed");
}

sigterm();
/exit
