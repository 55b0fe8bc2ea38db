// Priority — run with: jshell notes/priority.jsh
import com.sun.management.HotSpotDiagnosticMXBean;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.PriorityQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.PriorityBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

void check(boolean ok, String message) { if (!ok) throw new AssertionError(message); }

// 1. A priority executor: one worker thread, a PriorityBlockingQueue of jobs ordered by priority (0 = most urgent),
//    then by a sequence number, so that jobs of equal priority keep their arrival order (a heap alone does not).
AtomicLong sequence = new AtomicLong();
List<String> ran = Collections.synchronizedList(new ArrayList<>());

class Job implements Runnable, Comparable<Job> {
    final int priority; final long seq = sequence.getAndIncrement(); final String name;
    Job(int priority, String name) { this.priority = priority; this.name = name; }
    public void run() { ran.add(name); }
    public int compareTo(Job o) { return priority != o.priority ? Integer.compare(priority, o.priority) : Long.compare(seq, o.seq); }
}

void priorityExecutor() throws Exception {
    var pool = new ThreadPoolExecutor(1, 1, 0, TimeUnit.SECONDS, new PriorityBlockingQueue<Runnable>());
    try {
        var gate = new CountDownLatch(1);
        var busy = new CountDownLatch(1);
        pool.execute(new Job(0, "gate") { public void run() { busy.countDown(); try { gate.await(); } catch (InterruptedException e) { } } });
        busy.await();                                     // the only worker is busy: what follows waits in the queue
        String[][] jobs = {{"2", "low-a"}, {"0", "urgent-a"}, {"1", "normal-a"}, {"2", "low-b"}, {"0", "urgent-b"}, {"1", "normal-b"}};
        for (String[] j : jobs) pool.execute(new Job(Integer.parseInt(j[0]), j[1]));

        // submit() wraps the job in a FutureTask, which is not Comparable: the priority queue cannot order it.
        try { pool.submit(() -> ran.add("wrapped")); check(false, "submit must fail"); }
        catch (ClassCastException expected) { System.out.println("submit() on a priority pool: ClassCastException (FutureTask is not Comparable)"); }

        gate.countDown();
    } finally {
        pool.shutdown();
        check(pool.awaitTermination(10, TimeUnit.SECONDS), "the pool ends");
    }
    check(ran.equals(List.of("urgent-a", "urgent-b", "normal-a", "normal-b", "low-a", "low-b")), "by priority, FIFO within one: " + ran);
    System.out.println("ran in order: " + ran);
}

// 2. Starvation and ageing, on a logical clock. Every tick one urgent job (priority 0) arrives and one job is served.
//    A low job (priority 4) waiting from tick 0 is never served by strict priority. With ageing, a job gains one level
//    every `step` ticks it waits. Because every waiting job ages at the same rate, "priority minus age" orders jobs
//    exactly as the fixed key `arrival + priority * step` does: ageing is a virtual deadline, and a plain heap keeps it.
record Waiting(String name, int priority, long arrival, long seq) { }

long servedAt(String name, java.util.Comparator<Waiting> order, int ticks) {
    var queue = new PriorityQueue<Waiting>(order);
    long seq = 0;
    queue.add(new Waiting("low", 4, 0, seq++));
    for (long tick = 0; tick < ticks; tick++) {
        queue.add(new Waiting("urgent-" + tick, 0, tick, seq++));
        if (queue.poll().name().equals(name)) return tick;
    }
    return -1;                                            // never served
}

void ageing() {
    int step = 10;
    var strict = java.util.Comparator.<Waiting>comparingInt(Waiting::priority).thenComparingLong(Waiting::seq);
    var aged = java.util.Comparator.<Waiting>comparingLong(w -> w.arrival() + (long) w.priority() * step).thenComparingLong(Waiting::seq);
    long withoutAgeing = servedAt("low", strict, 10_000);
    long withAgeing = servedAt("low", aged, 10_000);
    check(withoutAgeing == -1, "strict priority: the low job starves for all 10,000 ticks");
    check(withAgeing >= 0 && withAgeing <= 4 * step, "with ageing it waits at most priority gap x step = 40 ticks: " + withAgeing);
    System.out.printf("starvation: strict priority never serves the low job in 10,000 ticks; with ageing (1 level per %d ticks) at tick %d%n",
            step, withAgeing);
}

// 3. Thread priorities. A virtual thread ignores setPriority altogether. A platform thread records it, but HotSpot
//    on Linux passes it to the OS only with -XX:ThreadPriorityPolicy=1, which needs root to raise anything.
void threadPriorities() throws Exception {
    Thread virtual = Thread.ofVirtual().unstarted(() -> { });
    virtual.setPriority(Thread.MAX_PRIORITY);
    check(virtual.getPriority() == Thread.NORM_PRIORITY, "a virtual thread's priority is always NORM_PRIORITY");

    Thread platform = Thread.ofPlatform().unstarted(() -> { });
    platform.setPriority(Thread.MAX_PRIORITY);
    check(platform.getPriority() == Thread.MAX_PRIORITY, "a platform thread keeps the value it was given");

    var vm = ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class);
    String policy = vm.getVMOption("ThreadPriorityPolicy").getValue();
    String use = vm.getVMOption("UseThreadPriorities").getValue();
    System.out.printf("thread priorities: virtual stays %d after setPriority(10); platform says %d; OS: %s, UseThreadPriorities=%s, ThreadPriorityPolicy=%s%n",
            virtual.getPriority(), platform.getPriority(), System.getProperty("os.name"), use, policy);

    // The OS's own priority of this process: its nice value (Linux: field 19 of /proc/self/stat).
    Path stat = Path.of("/proc/self/stat");
    if (Files.isReadable(stat)) {
        String s = Files.readString(stat);
        String[] fields = s.substring(s.lastIndexOf(')') + 2).split(" ");   // after "pid (comm) "
        System.out.println("this process's nice value: " + fields[16]);
    }
}

priorityExecutor();
ageing();
threadPriorities();
/exit
