package parlab.stage3.shutdown;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GracefulServiceTest {
    /** Long enough for a child JVM to start on a busy machine. */
    private static final Duration STARTUP = Duration.ofSeconds(10);
    private static final Duration ANSWER = Duration.ofSeconds(5);
    /** How much later than its deadline a shutdown may end, on a busy machine. */
    private static final Duration MARGIN = Duration.ofSeconds(4);
    /** How long after SIGTERM a child may keep accepting items: the hook starts late on a busy machine. */
    private static final Duration FEED = Duration.ofSeconds(4);
    private static final Pattern LINE = Pattern.compile("(\\d+) result-(\\d+)");

    @TempDir
    Path dir;

    /** A Writer that keeps apart what was written and what was flushed, as a buffered file writer would. */
    static final class RecordingWriter extends Writer {
        private final StringBuilder pending = new StringBuilder();
        private final StringBuilder flushed = new StringBuilder();

        @Override
        public void write(char[] chars, int off, int len) {
            synchronized (this) {
                pending.append(chars, off, len);
            }
            Thread.yield(); // a good moment for another worker to slip its text in, if nothing stops it
        }

        @Override
        public synchronized void flush() {
            flushed.append(pending);
            pending.setLength(0);
        }

        @Override
        public void close() {
            flush();
        }

        /** The lines that reached the "file": flushed ones only. */
        synchronized List<String> flushedLines() {
            return flushed.isEmpty() ? List.of() : List.of(flushed.toString().split("\n"));
        }

        synchronized String unflushed() {
            return pending.toString();
        }
    }

    private static String result(long item) {
        return "result-" + item;
    }

    private static List<String> expectedLines(Iterable<Long> items) {
        List<String> lines = new ArrayList<>();
        items.forEach(item -> lines.add(item + " " + result(item)));
        return lines;
    }

    // ---------------------------------------------------------------------------------------------------------
    // In this JVM: the contract, step by step, with the work held on a latch.
    // ---------------------------------------------------------------------------------------------------------

    @Test
    void shutdownStopsIntakeThenFinishesEveryAcceptedItem() throws Exception {
        CountDownLatch gate = new CountDownLatch(1);
        RecordingWriter out = new RecordingWriter();
        GracefulService service = new GracefulService(2, Duration.ofSeconds(10), item -> {
            gate.await();
            return result(item);
        }, out);
        List<Long> accepted = new ArrayList<>();
        for (long item = 0; item < 6; item++) {
            assertThat(service.submit(item)).as("submit(%d) before any shutdown", item).isTrue();
            accepted.add(item);
        }
        var shutdown = new FutureTask<>(service::shutdown);
        Thread caller = Thread.ofPlatform().name("test-shutdown-caller").start(shutdown);
        try {
            // Keep submitting while shutdown() runs: intake must close at once, and whatever got in is a promise.
            boolean refused = false;
            long deadline = System.nanoTime() + ANSWER.toNanos();
            for (long item = 100; item < 100_000 && System.nanoTime() < deadline; item++) {
                if (!service.submit(item)) {
                    refused = true;
                    break;
                }
                accepted.add(item);
            }
            assertThat(refused).as("submit() kept returning true while shutdown() was running (%d items accepted"
                    + " after it began): shutdown must stop intake first", accepted.size() - 6).isTrue();
            assertThat(service.submit(999)).as("submit() once refused must stay refused").isFalse();
            assertThat(shutdown.isDone()).as("shutdown() returned while %d accepted items were still held in their"
                    + " work: it must wait for them (up to its deadline)", accepted.size()).isFalse();
        } finally {
            gate.countDown();
        }
        assertThat(shutdown.get(ANSWER.toSeconds(), TimeUnit.SECONDS)).as("outcome once every item could finish")
                .isEqualTo(ShutdownOutcome.DRAINED);
        caller.join();
        assertThat(out.flushedLines()).as("flushed output lines after shutdown(): one complete line per accepted item"
                + " (not flushed: %s)", out.unflushed().isEmpty() ? "nothing" : "'" + out.unflushed() + "', flush"
                + " after the last item was written").containsExactlyInAnyOrderElementsOf(expectedLines(accepted));
    }

    @Test
    void anItemSubmittedAfterShutdownIsRefused() {
        RecordingWriter out = new RecordingWriter();
        GracefulService service = new GracefulService(1, Duration.ofSeconds(5), GracefulServiceTest::result, out);
        assertThat(service.submit(1)).as("submit(1) while running").isTrue();
        assertThat(service.shutdown()).as("outcome of shutdown() with one quick item").isEqualTo(ShutdownOutcome.DRAINED);
        assertThat(service.submit(2)).as("submit(2) after shutdown(): intake is closed").isFalse();
        assertThat(out.flushedLines()).as("flushed output").containsExactly("1 result-1");
    }

    @Test
    void linesFromManyWorkersAreWrittenWholeAndOnce() {
        RecordingWriter out = new RecordingWriter();
        GracefulService service = new GracefulService(4, Duration.ofSeconds(10), GracefulServiceTest::result, out);
        Set<Long> items = new TreeSet<>();
        for (long item = 0; item < 400; item++) {
            assertThat(service.submit(item)).as("submit(%d)", item).isTrue();
            items.add(item);
        }
        assertThat(service.shutdown()).as("outcome of shutdown() after 400 quick items")
                .isEqualTo(ShutdownOutcome.DRAINED);
        assertThat(out.flushedLines()).as("output of 4 workers: each line '<item> <result>' whole (write it in one"
                + " piece, or hold a lock around its pieces), each item once")
                .containsExactlyInAnyOrderElementsOf(expectedLines(items));
    }

    @Test
    void shutdownGivesUpAtTheDeadlineAndInterruptsTheStuckWork() throws Exception {
        CountDownLatch stuckStarted = new CountDownLatch(1);
        CountDownLatch interrupted = new CountDownLatch(1);
        CountDownLatch never = new CountDownLatch(1);
        RecordingWriter out = new RecordingWriter();
        Duration deadline = Duration.ofMillis(300);
        GracefulService service = new GracefulService(1, deadline, item -> {
            if (item == 2) {
                stuckStarted.countDown();
                try {
                    never.await();
                } catch (InterruptedException e) {
                    interrupted.countDown();
                    throw e;
                }
            }
            return result(item);
        }, out);
        try {
            assertThat(service.submit(1)).as("submit(1)").isTrue();
            assertThat(service.submit(2)).as("submit(2)").isTrue();
            assertThat(stuckStarted.await(ANSWER.toSeconds(), TimeUnit.SECONDS)).as("item 2's work started").isTrue();
            var shutdown = new FutureTask<>(service::shutdown);
            long start = System.nanoTime();
            Thread caller = Thread.ofPlatform().name("test-shutdown-caller").start(shutdown);
            ShutdownOutcome outcome;
            try {
                outcome = shutdown.get(deadline.plus(MARGIN).toMillis(), TimeUnit.MILLISECONDS);
            } catch (TimeoutException waitsForever) {
                throw new AssertionError("shutdown() with a " + deadline.toMillis() + " ms deadline had not returned "
                        + MARGIN.toSeconds() + " s later, with one item stuck in its work: it must give up at the"
                        + " deadline instead of waiting for ever");
            }
            long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            caller.join();
            assertThat(outcome).as("outcome of shutdown() with an item stuck past the deadline")
                    .isEqualTo(ShutdownOutcome.DEADLINE_PASSED);
            assertThat(millis).as("milliseconds shutdown() waited with a %d ms deadline: the work gets the whole"
                    + " deadline to finish", deadline.toMillis()).isGreaterThanOrEqualTo(deadline.toMillis() - 20);
            assertThat(interrupted.await(2, TimeUnit.SECONDS)).as("the stuck work was interrupted after the deadline"
                    + " (give up on it, e.g. shutdownNow(), so that no worker is left running)").isTrue();
            assertThat(out.flushedLines()).as("flushed output past the deadline: the finished item is kept")
                    .containsExactly("1 result-1");
        } finally {
            never.countDown();
        }
    }

    @Test
    void theHookIsAnUnstartedThreadThatExitsWithTheOutcomesCode() throws Exception {
        List<Integer> codes = new CopyOnWriteArrayList<>();
        RecordingWriter out = new RecordingWriter();
        GracefulService service = new GracefulService(1, Duration.ofSeconds(5), GracefulServiceTest::result, out);
        assertThat(service.submit(7)).as("submit(7)").isTrue();
        Thread hook = service.shutdownHook(codes::add);
        assertThat(hook.getState()).as("state of the thread shutdownHook() returns: the Runtime starts it itself,"
                + " on SIGTERM").isEqualTo(Thread.State.NEW);
        hook.start();
        hook.join(ANSWER.toMillis());
        assertThat(hook.isAlive()).as("hook still running %d s after it started, with one quick item to finish",
                ANSWER.toSeconds()).isFalse();
        assertThat(codes).as("exit codes the hook asked for after a clean drain").containsExactly(0);
        assertThat(out.flushedLines()).as("flushed output when the hook is done").containsExactly("7 result-7");
    }

    @Test
    void theHookAsksForExitCode3WhenTheDeadlinePasses() throws Exception {
        List<Integer> codes = new CopyOnWriteArrayList<>();
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch never = new CountDownLatch(1);
        GracefulService service = new GracefulService(1, Duration.ofMillis(200), item -> {
            started.countDown();
            never.await();
            return result(item);
        }, new RecordingWriter());
        try {
            assertThat(service.submit(1)).as("submit(1)").isTrue();
            assertThat(started.await(ANSWER.toSeconds(), TimeUnit.SECONDS)).as("item 1's work started").isTrue();
            Thread hook = service.shutdownHook(codes::add);
            hook.start();
            hook.join(Duration.ofMillis(200).plus(MARGIN).toMillis());
            assertThat(hook.isAlive()).as("hook still running %d s after a 200 ms deadline passed: it must give up"
                    + " at the deadline, not wait for ever", MARGIN.toSeconds()).isFalse();
            assertThat(codes).as("exit codes the hook asked for when the deadline passed with work unfinished")
                    .containsExactly(ShutdownOutcome.DEADLINE_PASSED.exitCode());
        } finally {
            never.countDown();
        }
    }

    // ---------------------------------------------------------------------------------------------------------
    // In a child JVM that really gets a SIGTERM (process.destroy()).
    // ---------------------------------------------------------------------------------------------------------

    private static String explain(int code) {
        return switch (code) {
            case 0 -> "0 = drained";
            case 3 -> "3 = the deadline passed";
            case 143 -> "143 = 128 + SIGTERM: the JVM ended by the signal's default; no hook ended it with"
                    + " Runtime.getRuntime().halt(code)";
            case ServiceMain.EXIT_SETUP_FAILED -> "2 = the service could not start";
            default -> String.valueOf(code);
        };
    }

    private static Set<Long> itemsAnswered(List<String> lines, String answer) {
        Set<Long> items = new TreeSet<>();
        for (String line : lines) {
            if (line.startsWith(answer + " ")) {
                items.add(Long.parseLong(line.substring(answer.length() + 1)));
            }
        }
        return items;
    }

    @Test
    void sigtermMidWorkFinishesEveryAcceptedItemAndExitsZero() throws Exception {
        Path output = dir.resolve("output.txt");
        Duration deadline = Duration.ofSeconds(8);
        try (ServiceProcess child = ServiceProcess.start(dir, output, 2, deadline)) {
            child.await("READY", STARTUP);
            for (int item = 0; item < 6; item++) {
                child.send("item " + item + " 300");
                child.await("accepted " + item, ANSWER);
            }
            child.await("started 0", ANSWER); // mid-work: items 0 and 1 in the workers, 2..5 waiting
            child.sigterm();

            // Keep requests coming, one at a time and each only once the last is in work (so the service is never
            // idle), until the child refuses one or is gone. The hook starts late on a busy machine: allow FEED.
            long feedUntil = System.nanoTime() + FEED.toNanos();
            int acceptedAfterSignal = 0;
            boolean refusedOrGone = false;
            for (int item = 1000; !refusedOrGone && System.nanoTime() < feedUntil; item++) {
                String id = String.valueOf(item);
                String answer = child.send("item " + id + " 50")
                        ? child.next(l -> l.equals("accepted " + id) || l.equals("rejected " + id), ANSWER) : null;
                if (answer == null || answer.startsWith("rejected")) {
                    refusedOrGone = true;
                } else {
                    acceptedAfterSignal++;
                    Duration left = Duration.ofNanos(Math.max(0, feedUntil - System.nanoTime()));
                    refusedOrGone = child.next(l -> l.equals("started " + id), left) == null && child.ended();
                }
            }
            assertThat(refusedOrGone).as("the child kept accepting items for %d s after SIGTERM (%d of them) and"
                    + " refused none: the hook must stop intake before it waits for the work", FEED.toSeconds(),
                    acceptedAfterSignal).isTrue();

            Integer code = child.waitFor(deadline.plus(MARGIN));
            assertThat(code).as("exit code: the child was still running %d s after SIGTERM with about 1 s of work"
                    + " and an %d s deadline", deadline.plus(MARGIN).toSeconds(), deadline.toSeconds()).isNotNull();
            List<String> stdout = child.allLines();
            Set<Long> accepted = itemsAnswered(stdout, "accepted");
            List<String> lines = Files.readAllLines(output, StandardCharsets.UTF_8);
            Set<Long> written = new HashSet<>();
            List<String> malformed = new ArrayList<>();
            for (String line : lines) {
                Matcher m = LINE.matcher(line);
                if (m.matches() && m.group(1).equals(m.group(2)) && written.add(Long.parseLong(m.group(1)))) {
                    continue;
                }
                malformed.add(line);
            }
            Set<Long> missing = new TreeSet<>(accepted);
            missing.removeAll(written);
            assertThat(missing).as("accepted items with no line in the output after SIGTERM (exit code %s; stderr: %s)."
                    + " Every accepted item must be finished and written, and the output flushed, before the hook"
                    + " ends the process", explain(code), child.stderrTail()).isEmpty();
            assertThat(malformed).as("output lines that are torn, duplicated or not '<item> result-<item>'").isEmpty();
            assertThat(code).as("exit code after a clean drain (%s)", explain(code)).isZero();
        }
    }

    @Test
    void sigtermWithStuckWorkExitsWithCode3AtTheDeadline() throws Exception {
        Path output = dir.resolve("output.txt");
        Duration deadline = Duration.ofSeconds(1);
        try (ServiceProcess child = ServiceProcess.start(dir, output, 1, deadline)) {
            child.await("READY", STARTUP);
            child.send("item 0 -1"); // never finishes unless interrupted
            child.await("accepted 0", ANSWER);
            child.await("started 0", ANSWER);
            long start = System.nanoTime();
            child.sigterm();
            Integer code = child.waitFor(deadline.plus(MARGIN));
            long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            assertThat(code).as("exit code: the child was still running %d ms after SIGTERM with a %d ms deadline:"
                    + " the hook must give up at the deadline and halt(4), not wait for ever",
                    millis, deadline.toMillis()).isNotNull();
            assertThat(code).as("exit code of a child whose work could not finish by the deadline (%s; stderr: %s)",
                    explain(code), child.stderrTail()).isEqualTo(ShutdownOutcome.DEADLINE_PASSED.exitCode());
            assertThat(millis).as("milliseconds from SIGTERM to exit with a %d ms deadline: the work gets the whole"
                    + " deadline", deadline.toMillis()).isGreaterThanOrEqualTo(deadline.toMillis() - 20);
        }
    }
}
