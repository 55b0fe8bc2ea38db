// Retries and errors — run with: jshell notes/retries-and-errors.jsh
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.LongSupplier;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import javax.tools.ToolProvider;

void check(boolean ok, String message) { if (!ok) throw new AssertionError(message); }

// 1. A retrier. Time comes from outside (a clock and a sleeper), so a test can run it on a fake clock, and the
//    jitter comes from a seeded random, so the delays are exact for a seed.
interface Sleeper { void sleep(long millis) throws InterruptedException; }
record Policy(int maxAttempts, long baseMillis, long capMillis, long budgetMillis) { }
class GaveUp extends Exception { GaveUp(String why, Exception last) { super(why, last); } }

class Retrier {
    final Policy policy; final LongSupplier clock; final Sleeper sleeper; final SplittableRandom random;
    final Predicate<Exception> retryable;
    Retrier(Policy policy, LongSupplier clock, Sleeper sleeper, long seed, Predicate<Exception> retryable) {
        this.policy = policy; this.clock = clock; this.sleeper = sleeper; this.random = new SplittableRandom(seed);
        this.retryable = retryable;
    }
    // Exponential backoff with "full jitter": a random delay between 0 and min(cap, base * 2^(attempt-1)).
    long delay(int attempt) {
        long ceiling = Math.min(policy.capMillis(), policy.baseMillis() << Math.min(attempt - 1, 30));
        return random.nextLong(ceiling + 1);
    }
    <T> T call(Callable<T> action) throws Exception {
        long start = clock.getAsLong();
        for (int attempt = 1; ; attempt++) {
            try {
                return action.call();
            } catch (InterruptedException e) {
                throw e;                                              // asked to stop: never retried
            } catch (Exception e) {
                if (!retryable.test(e)) throw e;                      // fatal: fail at once, as it is
                if (attempt == policy.maxAttempts()) throw new GaveUp(attempt + " attempts", e);
                long delay = delay(attempt);
                if (clock.getAsLong() - start + delay > policy.budgetMillis()) throw new GaveUp("time budget spent", e);
                sleeper.sleep(delay);                                 // throws InterruptedException when interrupted
            }
        }
    }
}

class Transient extends IOException { Transient(String m) { super(m); } }

void backoff() throws Exception {
    var now = new AtomicLong();
    var slept = new ArrayList<Long>();
    Sleeper fake = ms -> { slept.add(ms); now.addAndGet(ms); };     // a fake clock: sleeping only moves time
    var policy = new Policy(6, 100, 2_000, 60_000);
    Predicate<Exception> retryable = e -> e instanceof Transient;

    // Transient failures twice, then success: two sleeps, with exactly the delays the seed gives.
    var calls = new AtomicInteger();
    var retrier = new Retrier(policy, now::get, fake, 7, retryable);
    String answer = retrier.call(() -> { if (calls.incrementAndGet() < 3) throw new Transient("timeout"); return "ok"; });
    var expected = new SplittableRandom(7);
    check(answer.equals("ok") && calls.get() == 3, "succeeded on the third attempt");
    check(slept.equals(List.of(expected.nextLong(101), expected.nextLong(201))), "exact delays for seed 7: " + slept);
    System.out.printf("transient x2, then ok: 3 attempts, slept %s ms (ceilings 100, 200)%n", slept);

    // A fatal error fails at once, with no sleep and no second attempt.
    slept.clear(); calls.set(0);
    try {
        new Retrier(policy, now::get, fake, 7, retryable).call(() -> { calls.incrementAndGet(); throw new IllegalArgumentException("bad input"); });
        check(false, "a fatal error must be thrown");
    } catch (IllegalArgumentException e) {
        check(calls.get() == 1 && slept.isEmpty(), "fatal: one attempt, no sleep");
    }

    // Always failing: it gives up after maxAttempts, each delay under its ceiling, the ceiling capped.
    slept.clear();
    try {
        new Retrier(policy, now::get, fake, 11, retryable).call(() -> { throw new Transient("down"); });
        check(false, "it must give up");
    } catch (GaveUp e) {
        check(slept.size() == 5 && e.getCause() instanceof Transient, "6 attempts, 5 sleeps, the last failure as cause");
        for (int i = 0; i < slept.size(); i++) check(slept.get(i) <= Math.min(2_000, 100L << i), "delay " + i + " under its ceiling");
        System.out.printf("always failing: gave up after %s, slept %s ms%n", e.getMessage(), slept);
    }

    // A time budget ends the retries sooner than the attempt limit would.
    slept.clear();
    var tight = new Policy(100, 100, 2_000, 3_000);
    try {
        new Retrier(tight, now::get, fake, 11, retryable).call(() -> { throw new Transient("down"); });
    } catch (GaveUp e) {
        long total = slept.stream().mapToLong(Long::longValue).sum();
        check(e.getMessage().equals("time budget spent") && total <= 3_000, "the budget of 3 s holds: " + total);
        System.out.printf("budget 3 s: gave up after %d sleeps, %,d ms slept in all%n", slept.size(), total);
    }
}

// 2. An interrupt stops the retries: the real sleep throws InterruptedException, and the retrier does not retry it.
void interruptStops() throws Exception {
    var failedOnce = new CountDownLatch(1);
    var outcome = new AtomicReference<Exception>();
    var retrier = new Retrier(new Policy(10, 10_000, 60_000, 600_000), System::currentTimeMillis, Thread::sleep, 1, e -> true);
    Thread t = Thread.ofPlatform().start(() -> {
        try { retrier.call(() -> { failedOnce.countDown(); throw new Transient("down"); }); }
        catch (Exception e) { outcome.set(e); }
    });
    failedOnce.await();
    t.interrupt();                                          // during (or just before) a backoff of up to 10 s
    t.join(TimeUnit.SECONDS.toMillis(10));
    check(!t.isAlive() && outcome.get() instanceof InterruptedException, "the interrupt ended the retries at once");
    System.out.println("interrupted while backing off: InterruptedException, no further attempt");
}

// 3. Retrying is safe only for idempotent operations. The response to a charge is lost after the server applied it:
//    the client cannot tell, and retries. With an idempotency key, the server answers the retry from memory.
class Payments {
    long charged;
    final Map<String, Long> byKey = new HashMap<>();
    synchronized long charge(String key, long amount) {
        if (key != null && byKey.containsKey(key)) return byKey.get(key);   // a retry: same answer, no second charge
        charged += amount;
        if (key != null) byKey.put(key, charged);
        return charged;
    }
}

void idempotency() throws Exception {
    for (String key : new String[] {null, "order-17"}) {
        var server = new Payments();
        var lost = new AtomicInteger(1);                     // the first response is lost on the way back
        var retrier = new Retrier(new Policy(3, 1, 1, 1_000), () -> 0, ms -> { }, 1, e -> e instanceof Transient);
        retrier.call(() -> {
            long result = server.charge(key, 50);
            if (lost.getAndDecrement() > 0) throw new Transient("connection reset before the response");
            return result;
        });
        check(server.charged == (key == null ? 100 : 50), "without a key the retry charges twice; with one, once");
        System.out.printf("charge 50 with key %-9s -> charged %d%n", key, server.charged);
    }
}

// 4. Errors from a child process: the exit code says *that* it failed; stderr says *what* failed. A structured
//    error line (one JSON object, one line) can be parsed by the parent; a stack trace can only be shown.
String WORKER = """
    class Worker {
        public static void main(String[] args) {
            for (int item = 1; item <= 5; item++) {
                if (item == 4 && args[0].equals("report")) {
                    System.err.println("ERROR {\\"item\\":4,\\"kind\\":\\"bad-input\\",\\"retryable\\":false,\\"message\\":\\"negative size -3\\"}");
                    System.exit(65);                                  // EX_DATAERR from sysexits.h: the input was bad
                }
                if (item == 4) throw new IllegalStateException("item 4: negative size -3");
                System.out.println("result " + item + " " + item * item);
            }
        }
    }
    """;

record ChildResult(int exitCode, List<String> stdout, List<String> stderr) { }

ChildResult runChild(Path classes, String mode) throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Path err = classes.resolve(mode + ".err");
    Process p = new ProcessBuilder(java, "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-cp", classes.toString(), "Worker", mode)
            .redirectError(err.toFile())                     // stderr to a file: nothing to drain, read it after exit
            .start();
    try {
        List<String> out = p.inputReader().readAllLines();
        check(p.waitFor(30, TimeUnit.SECONDS), "the child ends");
        return new ChildResult(p.exitValue(), out, Files.readAllLines(err));
    } finally {
        p.destroyForcibly().waitFor();
    }
}

void childErrors() throws Exception {
    Path dir = Files.createTempDirectory("retries");
    try {
        Path source = Files.writeString(dir.resolve("Worker.java"), WORKER);
        check(ToolProvider.getSystemJavaCompiler().run(null, null, null, "-d", dir.toString(), source.toString()) == 0, "the child compiles");

        var report = runChild(dir, "report");
        var line = report.stderr().stream().filter(l -> l.startsWith("ERROR ")).findFirst().orElseThrow();
        var m = Pattern.compile("\"item\":(\\d+),\"kind\":\"([^\"]*)\",\"retryable\":(true|false)").matcher(line);
        check(m.find(), "the parent parses the child's error line: " + line);
        check(report.exitCode() == 65 && m.group(1).equals("4") && m.group(3).equals("false"), "exit 65, item 4, not retryable");
        check(report.stdout().size() == 3, "the results before the failure still arrived");
        System.out.printf("structured: exit %d, %s; item %s, kind %s, retryable %s%n",
                report.exitCode(), report.stdout(), m.group(1), m.group(2), m.group(3));

        var crash = runChild(dir, "crash");
        check(crash.exitCode() == 1, "an uncaught exception in main exits with 1");
        check(crash.stderr().getFirst().startsWith("Exception in thread \"main\" java.lang.IllegalStateException"), "stderr holds the stack trace");
        System.out.printf("uncaught:   exit %d, stderr: %s (+%d lines)%n", crash.exitCode(), crash.stderr().getFirst(), crash.stderr().size() - 1);
    } finally {
        try (var files = Files.walk(dir)) { files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete()); }
    }
}

backoff();
interruptStops();
idempotency();
childErrors();
/exit
