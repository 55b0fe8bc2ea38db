// Supervision — run with: jshell notes/supervision.jsh
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.tools.ToolProvider;

void check(boolean ok, String message) { if (!ok) throw new AssertionError(message); }

// 1. A real child crash. The supervisor starts a worker JVM, which prints "ready <pid>" and then serves until its
//    stdin closes (exit 0). The worker is killed with SIGKILL; the supervisor sees exit code 137, counts a crash and
//    starts a new worker. The second worker is then stopped cleanly: exit 0 is not a crash, nothing is restarted.
String WORKER = """
    class Worker {
        public static void main(String[] args) throws Exception {
            System.out.println("ready " + ProcessHandle.current().pid());
            System.out.flush();
            while (System.in.read() != -1) { }                        // serve until the supervisor closes stdin
        }
    }
    """;

void realCrash() throws Exception {
    Path dir = Files.createTempDirectory("supervision");
    var all = new ArrayList<Process>();
    try {
        Path source = Files.writeString(dir.resolve("Worker.java"), WORKER);
        check(ToolProvider.getSystemJavaCompiler().run(null, null, null, "-d", dir.toString(), source.toString()) == 0, "the child compiles");
        var builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-cp", dir.toString(), "Worker")
                .redirectError(ProcessBuilder.Redirect.DISCARD);
        int restarts = 0;
        var exits = new ArrayList<Integer>();
        Process worker = builder.start();
        all.add(worker);
        check(worker.inputReader().readLine().equals("ready " + worker.pid()), "the first worker is ready");
        long firstPid = worker.pid();

        worker.destroyForcibly();                                      // kill -9, as the OOM killer or an operator would
        int code = worker.onExit().get(30, TimeUnit.SECONDS).exitValue();
        exits.add(code);
        if (code != 0) {                                               // a crash: restart it (one-for-one)
            restarts++;
            worker = builder.start();
            all.add(worker);
            check(worker.inputReader().readLine().equals("ready " + worker.pid()), "the replacement is ready");
        }
        long secondPid = worker.pid();
        worker.getOutputStream().close();                              // a clean stop: end of input
        code = worker.onExit().get(30, TimeUnit.SECONDS).exitValue();
        exits.add(code);
        check(exits.equals(List.of(137, 0)), "killed: 137, then a clean exit: 0; got " + exits);
        check(restarts == 1 && firstPid != secondPid, "one restart, a new process");
        System.out.printf("worker %d killed -> exit %d -> restarted as %d -> stopped -> exit %d; restarts: %d%n",
                firstPid, exits.get(0), secondPid, exits.get(1), restarts);
    } finally {
        for (var p : all) p.destroyForcibly().waitFor();
        try (var files = Files.walk(dir)) { files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete()); }
    }
}

// 2. Restart intensity and heartbeats, on a fake clock (milliseconds passed in by the caller).
//    Intensity, as in Erlang/OTP: at most `max` restarts within `window`; one more means the supervisor gives up
//    and reports upwards, instead of restarting a worker that cannot start forever.
class RestartIntensity {
    final int max; final long window; final ArrayDeque<Long> recent = new ArrayDeque<>();
    RestartIntensity(int max, long window) { this.max = max; this.window = window; }
    boolean allow(long now) {
        while (!recent.isEmpty() && recent.peekFirst() <= now - window) recent.pollFirst();
        if (recent.size() >= max) return false;
        recent.addLast(now);
        return true;
    }
}
class Heartbeats {
    final Map<String, Long> last = new HashMap<>();
    void beat(String worker, long now) { last.put(worker, now); }
    List<String> overdue(long now, long timeout) {
        return last.entrySet().stream().filter(e -> now - e.getValue() > timeout).map(Map.Entry::getKey).sorted().toList();
    }
}

void intensityAndHeartbeats() {
    var intensity = new RestartIntensity(3, 5_000);
    var allowed = new ArrayList<Boolean>();
    for (long t : new long[] {0, 1_000, 2_000, 3_000, 6_000}) allowed.add(intensity.allow(t));
    check(allowed.equals(List.of(true, true, true, false, true)), "3 restarts in 5 s allowed, the 4th refused, later allowed again");
    System.out.println("restart intensity 3 per 5 s, restarts at 0, 1, 2, 3, 6 s: " + allowed);

    var hb = new Heartbeats();
    for (long t = 0; t <= 1_000; t += 100) {
        hb.beat("w1", t);
        if (t <= 300) hb.beat("w2", t);                               // w2 hangs after 300 ms: alive, but silent
    }
    check(hb.overdue(1_000, 500).equals(List.of("w2")), "only the silent worker is overdue");
    System.out.println("heartbeats at t=1000 ms, timeout 500 ms: overdue " + hb.overdue(1_000, 500));
}

// 3. A supervisor of worker threads, one-for-one: a worker that crashes is replaced, and the task it held is
//    requeued. Task 13 is poison (it crashes every worker that takes it) and is quarantined after 3 crashes.
//    Task 7 crashes a worker once. Task 5 crashes its worker *after* reporting its result: the requeued task reports
//    again, and the sink accepts a task's result only once (idempotent acceptance): exactly one result per task.
record Task(int id, int attempt) { }
record Crash(int slot, Task lost, String cause) { }

class Pool {
    static final Task STOP = new Task(-1, 0);
    final BlockingQueue<Task> work = new LinkedBlockingQueue<>();
    final Map<Integer, Long> sink = new ConcurrentHashMap<>();             // task id -> result, first one wins
    final AtomicInteger duplicates = new AtomicInteger();
    final BlockingQueue<Crash> crashes = new LinkedBlockingQueue<>();
    final Task[] inHand;                                                   // slot s is written by its worker only
    final List<Thread> threads = new ArrayList<>();
    Pool(int workers) { inHand = new Task[workers]; }

    void startWorker(int slot) {
        threads.add(Thread.ofPlatform().name("worker-" + slot).start(() -> work(slot)));
    }

    void work(int slot) {
        try {
            while (step(slot)) { }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            crashes.add(new Crash(slot, inHand[slot], e.getMessage()));     // the worker dies; the supervisor hears of it
        }
    }

    // One task; false on the stop marker. A RuntimeException here is a crash of the worker.
    boolean step(int slot) throws InterruptedException {
        Task t = work.take();
        if (t == STOP) return false;
        inHand[slot] = t;                                                  // what is lost if this worker dies now
        if (t.id() == 13) throw new IllegalStateException("poison input");
        if (t.id() == 7 && t.attempt() == 0) throw new IllegalStateException("transient fault");
        if (sink.putIfAbsent(t.id(), (long) t.id() * t.id()) != null) duplicates.incrementAndGet();
        if (t.id() == 5 && t.attempt() == 0) throw new IllegalStateException("crashed after reporting");
        inHand[slot] = null;
        return true;
    }
}

void supervisor() throws InterruptedException {
    int tasks = 20, workers = 3, maxCrashesPerTask = 3;
    var pool = new Pool(workers);
    for (int i = 1; i <= tasks; i++) pool.work.add(new Task(i, 0));
    for (int s = 0; s < workers; s++) pool.startWorker(s);

    int restarts = 0;
    var quarantined = new TreeSet<Integer>();
    var crashesPerTask = new HashMap<Integer, Integer>();
    while (pool.sink.size() + quarantined.size() < tasks) {
        Crash crash = pool.crashes.poll(30, TimeUnit.SECONDS);
        check(crash != null, "the supervisor hears of every crash");
        Task lost = crash.lost();
        if (crashesPerTask.merge(lost.id(), 1, Integer::sum) >= maxCrashesPerTask) quarantined.add(lost.id());   // poison
        else pool.work.add(new Task(lost.id(), lost.attempt() + 1));     // requeue the lost task
        pool.startWorker(crash.slot());                                    // one-for-one: replace only that worker
        restarts++;
    }
    for (int s = 0; s < workers; s++) pool.work.add(Pool.STOP);
    for (var t : pool.threads) t.join();

    check(quarantined.equals(Set.of(13)), "only the poison task is quarantined: " + quarantined);
    check(pool.sink.size() == tasks - 1, "exactly one result for every other task");
    for (var e : pool.sink.entrySet()) check(e.getValue() == (long) e.getKey() * e.getKey(), "each result is its task's");
    check(pool.duplicates.get() == 1, "task 5's second report was refused by the sink");
    check(restarts == 5, "3 crashes on task 13, 1 on 7, 1 on 5: 5 restarts, got " + restarts);
    check(pool.threads.stream().noneMatch(Thread::isAlive), "every worker thread ended");
    System.out.printf("supervisor: %d results, quarantined %s, %d restarts, %d duplicate result refused%n",
            pool.sink.size(), quarantined, restarts, pool.duplicates.get());
}

realCrash();
intensityAndHeartbeats();
supervisor();
/exit
