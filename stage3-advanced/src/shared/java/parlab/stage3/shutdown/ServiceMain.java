package parlab.stage3.shutdown;

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;

/**
 * The service process of s3e02, run in a child JVM by the tests. Plumbing, not the lesson: read it to know what
 * the child does; the parts that are yours are in {@link GracefulService}, which it calls.
 *
 * <p>Arguments: {@code <output file> <workers> <deadline millis>}. It opens the output file through a 64 KB
 * {@link java.io.BufferedWriter} (so nothing reaches the file before a flush), builds a {@link GracefulService},
 * calls {@link GracefulService#installShutdownHook()} and prints {@code READY}. Then it reads its stdin, one
 * request a line:
 * <pre>
 *   item &lt;id&gt; &lt;millis&gt;     submit item id, whose work takes that long (-1: forever, until interrupted)
 * </pre>
 * and answers each on stdout with {@code accepted <id>} or {@code rejected <id>}. A worker prints
 * {@code started <id>} when it begins an item; the work's result is {@code result-<id>}, so a complete output line
 * is {@code <id> result-<id>}. When stdin ends it calls {@link System#exit(int)}, which runs the same shutdown hook
 * as a SIGTERM. If setting up fails (a TODO, say), it prints why on stderr and exits with code 2.
 */
public final class ServiceMain {
    /** The exit code when the service cannot even start. */
    public static final int EXIT_SETUP_FAILED = 2;

    private ServiceMain() {
    }

    private static synchronized void say(String line) {
        System.out.println(line);
        System.out.flush(); // the hook may end the JVM with halt(): nothing may wait in a buffer
    }

    private static String work(long item, long millis) throws InterruptedException {
        say("started " + item);
        if (millis < 0) {
            new CountDownLatch(1).await(); // stuck until interrupted
        } else {
            Thread.sleep(millis); // stands for real work that takes this long
        }
        return "result-" + item;
    }

    public static void main(String[] args) throws Exception {
        Path output = Path.of(args[0]);
        int workers = Integer.parseInt(args[1]);
        Duration deadline = Duration.ofMillis(Long.parseLong(args[2]));
        var durations = new ConcurrentHashMap<Long, Long>();
        GracefulService service;
        try {
            Writer buffered = new BufferedWriter(
                    new OutputStreamWriter(Files.newOutputStream(output), StandardCharsets.UTF_8), 1 << 16);
            service = new GracefulService(workers, deadline, item -> work(item, durations.remove(item)), buffered);
            service.installShutdownHook();
        } catch (Throwable setup) {
            System.err.println("fatal: the service could not start: " + setup);
            System.err.flush();
            Runtime.getRuntime().halt(EXIT_SETUP_FAILED);
            return;
        }
        say("READY");
        var in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        for (String line = in.readLine(); line != null; line = in.readLine()) {
            String[] parts = line.trim().split(" ");
            if (parts.length != 3 || !parts[0].equals("item")) {
                System.err.println("ignored a malformed request: " + line);
                continue;
            }
            long item = Long.parseLong(parts[1]);
            durations.put(item, Long.parseLong(parts[2]));
            if (service.submit(item)) {
                say("accepted " + item);
            } else {
                durations.remove(item);
                say("rejected " + item);
            }
        }
        System.err.println("stdin ended: System.exit(0), which runs the shutdown hook as SIGTERM does");
        System.err.flush();
        System.exit(0);
    }
}
