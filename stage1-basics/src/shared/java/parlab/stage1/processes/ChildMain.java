package parlab.stage1.processes;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CountDownLatch;

/**
 * The child's side of s1e07: a small worker program that {@link ChildProcess} runs in a child JVM. Plumbing, not
 * the lesson: read it to know what the child does, but there is nothing to change here.
 *
 * <p>It reads one task per line from its stdin and writes one answer per line to its stdout, in UTF-8, flushing
 * after every answer. When its stdin ends (the parent closed it) it exits with code 0. The tasks:
 * <ul>
 *   <li>{@code echo <text>}: answers {@code <text>};
 *   <li>{@code square <n>}: answers {@code n * n};
 *   <li>{@code pid}: answers its own process id;
 *   <li>{@code crash <code>}: writes {@value #NOISE_LINES} harmless lines and then
 *       {@code fatal: crashing with exit code <code>} to its stderr, and dies with that exit code without answering;
 *   <li>{@code hang}: never answers (and stops reading tasks);
 *   <li>{@code stubborn}: answers {@code stubborn}, and from then on refuses to die politely: it ignores the end of
 *       its stdin, and a shutdown hook that never returns keeps {@code destroy()} (SIGTERM) from ending it. Only
 *       {@code destroyForcibly()} (SIGKILL) does;
 *   <li>{@code flood <bytes>}: writes about that many bytes to its stderr (lines of 100 bytes, the last one
 *       {@code flood done}), then answers {@code flooded <bytes>};
 *   <li>anything else: answers {@code error: unknown task <task>}.
 * </ul>
 */
public final class ChildMain {
    /** How many harmless stderr lines {@code crash} writes before its fatal line. */
    public static final int NOISE_LINES = 50;

    private static volatile boolean stubborn;

    private ChildMain() {
    }

    public static void main(String[] args) throws IOException, InterruptedException {
        var in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        Writer out = new OutputStreamWriter(System.out, StandardCharsets.UTF_8);
        String task;
        while ((task = in.readLine()) != null) {
            String answer = answer(task);
            out.write(answer);
            out.write('\n');
            out.flush();
        }
        if (stubborn) {
            waitForever();
        }
    }

    private static String answer(String task) throws InterruptedException {
        String[] words = task.split(" ", 2);
        String argument = words.length > 1 ? words[1] : "";
        return switch (words[0]) {
            case "echo" -> argument;
            case "square" -> Long.toString(Long.parseLong(argument) * Long.parseLong(argument));
            case "pid" -> Long.toString(ProcessHandle.current().pid());
            case "crash" -> crash(Integer.parseInt(argument));
            case "hang" -> waitForever();
            case "stubborn" -> {
                stubborn = true;
                Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                    try {
                        waitForever();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }, "stubborn-shutdown-hook"));
                yield "stubborn";
            }
            case "flood" -> flood(Integer.parseInt(argument));
            default -> "error: unknown task " + task;
        };
    }

    private static String crash(int exitCode) {
        PrintStream err = System.err;
        for (int i = 0; i < NOISE_LINES; i++) {
            err.println("noise line " + i + ": nothing wrong yet");
        }
        err.println("fatal: crashing with exit code " + exitCode);
        err.flush();
        Runtime.getRuntime().halt(exitCode); // halt, not exit: no shutdown hook may hold it up
        throw new AssertionError("unreachable");
    }

    private static String flood(int bytes) {
        StringBuilder lines = new StringBuilder(bytes + 100);
        for (int i = 0; lines.length() < bytes - 100; i++) {
            lines.append(String.format("flood line %08d ", i)).append("x".repeat(79)).append('\n');
        }
        lines.append("flood done\n");
        System.err.print(lines); // blocks once the pipe is full, until the parent reads it
        System.err.flush();
        return "flooded " + bytes;
    }

    /** Waits for something that never comes. */
    private static String waitForever() throws InterruptedException {
        new CountDownLatch(1).await();
        throw new AssertionError("unreachable");
    }
}
