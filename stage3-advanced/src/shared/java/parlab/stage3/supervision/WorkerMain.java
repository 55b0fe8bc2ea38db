package parlab.stage3.supervision;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;

/**
 * The worker's side of s3e07, run by {@link WorkerProcess} in a child JVM. Plumbing, not the lesson: read it to
 * know what a worker says; the part that is yours is the {@link Supervisor} that keeps these workers going.
 *
 * <p>Protocol, one line at a time. Stdin: {@code task <id> <attempt> <payload>}. Stdout: {@code started <id>
 * <attempt>} as it begins a task, {@code beat <id>} every {@link #HEARTBEAT_INTERVAL} while it works, and
 * {@code result <id> <attempt> <value>} when it is done; then it reads the next task. It exits with code 0 when
 * its stdin ends.
 *
 * <p>A payload is a number {@code n} (the value is {@code n * n}, see {@link #expectedValue}) or a test hook that
 * makes the worker misbehave on purpose; {@code -first} hooks misbehave on attempt 1 only and then do {@code n}:
 * <ul>
 *   <li>{@code halt}, {@code halt-first:<n>}: dies at once with exit code {@link #CRASH_EXIT_CODE};
 *   <li>{@code hang}, {@code hang-first:<n>}: stops sending heartbeats and never answers (a deadlocked worker);
 *   <li>{@code stall}, {@code stall-first:<n>}: keeps sending heartbeats but never answers (a long task, until
 *       someone kills the worker);
 *   <li>{@code slow:<millis>:<n>}: works (with heartbeats) for that long, then answers.
 * </ul>
 */
public final class WorkerMain {
    /** How often a busy worker says {@code beat}. */
    public static final Duration HEARTBEAT_INTERVAL = Duration.ofMillis(100);
    /** The exit code of a worker that crashes on purpose. */
    public static final int CRASH_EXIT_CODE = 13;

    private static final PrintStream OUT = new PrintStream(System.out, false, StandardCharsets.UTF_8);
    /** Guards {@link #current} and the output, so that no beat of a task is printed after its result. */
    private static final Object LOCK = new Object();
    private static String current;

    private WorkerMain() {
    }

    /** The value a worker answers for a payload that ends in a number {@code n}: {@code n * n}. */
    public static String expectedValue(String payload) {
        long n = Long.parseLong(payload.substring(payload.lastIndexOf(':') + 1));
        return Long.toString(n * n);
    }

    public static void main(String[] args) throws IOException, InterruptedException {
        Thread.ofPlatform().daemon().name("heartbeat").start(WorkerMain::beat);
        var in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        for (String line; (line = in.readLine()) != null; ) {
            String[] parts = line.split(" ", 4);
            if (parts.length != 4 || !parts[0].equals("task")) {
                System.err.println("fatal: expected 'task <id> <attempt> <payload>', got '" + line + "'");
                System.err.flush();
                Runtime.getRuntime().halt(2);
            }
            work(parts[1], Integer.parseInt(parts[2]), parts[3]);
        }
    }

    private static void work(String id, int attempt, String payload) throws InterruptedException {
        synchronized (LOCK) {
            current = id;
            say("started " + id + " " + attempt);
        }
        String hook = payload.contains(":") ? payload.substring(0, payload.indexOf(':')) : payload;
        boolean first = attempt == 1;
        switch (hook) {
            case "halt" -> crash(id, attempt);
            case "halt-first" -> {
                if (first) {
                    crash(id, attempt);
                }
            }
            case "hang" -> hang();
            case "hang-first" -> {
                if (first) {
                    hang();
                }
            }
            case "stall" -> new CountDownLatch(1).await();
            case "stall-first" -> {
                if (first) {
                    new CountDownLatch(1).await();
                }
            }
            case "slow" -> Thread.sleep(Long.parseLong(payload.split(":")[1]));
            default -> {
                // a plain number
            }
        }
        String value = expectedValue(payload);
        synchronized (LOCK) {
            say("result " + id + " " + attempt + " " + value);
            current = null;
        }
    }

    private static void crash(String id, int attempt) {
        System.err.println("crashing on purpose on task " + id + " (attempt " + attempt + ")");
        System.err.flush();
        Runtime.getRuntime().halt(CRASH_EXIT_CODE);
    }

    private static void hang() throws InterruptedException {
        synchronized (LOCK) {
            current = null; // no more heartbeats
        }
        new CountDownLatch(1).await();
    }

    private static void beat() {
        try {
            while (true) {
                Thread.sleep(HEARTBEAT_INTERVAL);
                synchronized (LOCK) {
                    if (current != null) {
                        say("beat " + current);
                    }
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void say(String line) {
        OUT.println(line);
        OUT.flush();
    }
}
