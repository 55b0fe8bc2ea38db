// Pipes between JVMs — run with: jshell notes/pipes.jsh
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

void check(boolean ok, String message) { if (!ok) throw new AssertionError(message); }

// The child: first it writes 1 MiB of "log" to stderr in 4 KiB pieces, reporting its progress on stdout;
// then it upper-cases every line it reads on stdin until stdin is closed.
String CHILD = """
    class Child {
        public static void main(String[] args) throws Exception {
            System.out.println("ready");
            System.out.flush();
            byte[] piece = new byte[4096];
            java.util.Arrays.fill(piece, (byte) 'x');
            for (int written = 0; written < 1 << 20; ) {
                System.err.write(piece);               // blocks once the stderr pipe is full and nobody reads it
                System.err.flush();
                written += piece.length;
                System.out.println("stderr " + written);
                System.out.flush();
            }
            System.out.println("stderr done");
            System.out.flush();
            var in = new java.io.BufferedReader(new java.io.InputStreamReader(System.in));
            for (String line; (line = in.readLine()) != null; ) System.out.println(line.toUpperCase());
        }
    }
    """;

String EOF = "<end of stdout>";

// Read the child's stdout on a thread of its own, one line at a time, into a queue.
Thread readLines(Process p, BlockingQueue<String> lines) {
    return Thread.ofVirtual().start(() -> {
        try (var in = p.inputReader()) {
            for (String line; (line = in.readLine()) != null; ) lines.add(line);
        } catch (IOException e) {
            lines.add("read failed: " + e.getMessage());
        }
        lines.add(EOF);
    });
}

void pipes() throws Exception {
    Path dir = Files.createTempDirectory("pipes");
    Path source = Files.writeString(dir.resolve("Child.java"), CHILD);
    String java = ProcessHandle.current().info().command().orElseThrow();
    Process child = new ProcessBuilder(java, "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", source.toString()).start();
    try {
        var lines = new LinkedBlockingQueue<String>();
        Thread stdoutReader = readLines(child, lines);
        check("ready".equals(lines.take()), "the child started");   // EOF instead if it could not start

        // 1. Nobody reads stderr: once the pipe is full, the child's write blocks. Wait for 300 ms of silence.
        String last = "stderr 0";
        for (String line; (line = lines.poll(300, TimeUnit.MILLISECONDS)) != null; ) last = line;
        long stuckAt = Long.parseLong(last.substring("stderr ".length()));
        System.out.printf("stderr not drained: the child blocked after %,d bytes (%d KiB, the pipe's capacity here)%n",
                stuckAt, stuckAt / 1024);
        check(child.isAlive(), "the child is stuck, not finished");
        check(stuckAt < 1 << 20, "it could not write all of its 1 MiB");

        // 2. Drain stderr on another thread (here: throw it away) and the child moves on.
        var drained = new AtomicLong();
        Thread stderrDrainer = Thread.ofVirtual().start(() -> {
            try (var err = child.getErrorStream()) {
                drained.set(err.transferTo(OutputStream.nullOutputStream()));
            } catch (IOException e) {
                drained.set(-1);
            }
        });
        for (String line; !(line = lines.take()).equals("stderr done"); )
            check(line.startsWith("stderr "), "progress lines only: " + line);
        System.out.println("stderr drained: the child finished writing");

        // 3. A round trip: write lines to the child's stdin, close it (EOF), read the answers from its stdout.
        try (var toChild = child.outputWriter()) {
            toChild.write("hello\n");
            toChild.write("pipes between jvms\n");
        }                                                            // close() = EOF for the child's readLine()
        var answers = new ArrayList<String>();
        for (String line; !(line = lines.take()).equals(EOF); ) answers.add(line);
        System.out.println("answers: " + answers);
        check(answers.equals(List.of("HELLO", "PIPES BETWEEN JVMS")), "one answer per line, in order");

        check(child.waitFor(30, TimeUnit.SECONDS) && child.exitValue() == 0, "the child exited with code 0");
        stdoutReader.join();
        stderrDrainer.join();
        check(drained.get() == 1 << 20, "all 1 MiB of stderr went through the pipe");
    } finally {
        child.destroyForcibly().waitFor();                          // no orphan, even if a check failed
        Files.delete(source);
        Files.delete(dir);
    }
}

pipes();
/exit
