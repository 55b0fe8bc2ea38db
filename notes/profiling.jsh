// Profiling concurrent code with JFR — run with: jshell notes/profiling.jsh
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;

void check(boolean ok, String message) { if (!ok) throw new AssertionError(message); }

// Two locks: every worker goes through the hot one, the cold one is used by one thread only.
class HotLock {}
class ColdLock {}
HotLock hot = new HotLock();
ColdLock cold = new ColdLock();
AtomicLong work = new AtomicLong();

// The planted problem: 4 threads doing their "work" inside one synchronized block.
// To make the contention certain rather than likely, the main thread holds the hot lock until all 4 workers
// are BLOCKED on it: each of them then has to wait, and JFR records a jdk.JavaMonitorEnter event for the wait.
List<Thread> contendedSection() throws InterruptedException {
    var workers = new ArrayList<Thread>();
    synchronized (hot) {
        for (int i = 0; i < 4; i++) {
            workers.add(Thread.ofPlatform().name("worker-" + i).start(() -> {
                for (int round = 0; round < 5; round++) {
                    synchronized (hot) { busy(200_000); }      // the whole task under one lock
                }
            }));
        }
        for (var w : workers) while (w.getState() != Thread.State.BLOCKED) Thread.sleep(1);
    }
    Thread loner = Thread.ofPlatform().name("loner").start(() -> {
        for (int round = 0; round < 5; round++) synchronized (cold) { busy(200_000); }
    });
    workers.add(loner);
    for (var w : workers) w.join();
    return workers;
}

void busy(int n) { long x = 0; for (int i = 0; i < n; i++) x += i ^ (x >>> 3); work.addAndGet(x); }

// Record, dump to a file, read it back, and count monitor-enter events by the class of the monitor.
void recordAndAnalyse() throws Exception {
    Path file = Files.createTempFile("contention", ".jfr");
    try {
        try (var recording = new Recording()) {
            recording.enable("jdk.JavaMonitorEnter").withThreshold(Duration.ZERO);   // default: only waits >= 20 ms
            recording.enable("jdk.ThreadPark").withThreshold(Duration.ofMillis(1));  // j.u.c locks, queues, sleeps
            recording.start();
            contendedSection();
            recording.stop();
            recording.dump(file);
        }
        List<RecordedEvent> events = RecordingFile.readAllEvents(file);
        Map<String, long[]> byMonitor = new TreeMap<>();     // monitor class -> {events, total nanos blocked}
        for (RecordedEvent e : events) {
            if (!e.getEventType().getName().equals("jdk.JavaMonitorEnter")) continue;
            String thread = e.getThread("eventThread") == null ? "" : e.getThread("eventThread").getJavaName();
            if (!thread.startsWith("worker-") && !thread.equals("loner")) continue;   // only our threads: the JVM has others
            String monitor = e.getClass("monitorClass").getName();
            long[] acc = byMonitor.computeIfAbsent(monitor, k -> new long[2]);
            acc[0]++;
            acc[1] += e.getDuration().toNanos();
        }
        long parks = events.stream().filter(e -> e.getEventType().getName().equals("jdk.ThreadPark")).count();
        System.out.printf("%s: %,d bytes, %,d events (%d thread parks >= 1 ms)%n", file.getFileName(), Files.size(file), events.size(), parks);
        byMonitor.forEach((monitor, acc) -> System.out.printf("  %-40s %3d contended enters, %6.1f ms blocked in all%n",
                monitor.substring(monitor.lastIndexOf('$') + 1), acc[0], acc[1] / 1e6));
        String top = byMonitor.entrySet().stream().max(Comparator.comparingLong(en -> en.getValue()[1]))
                .map(Map.Entry::getKey).orElse("none");
        System.out.println("most contended monitor: " + top);
        check(byMonitor.containsKey(HotLock.class.getName()) && byMonitor.get(HotLock.class.getName())[0] >= 4,
                "all 4 workers had to wait for the hot lock at least once, and JFR recorded it");
        check(top.equals(HotLock.class.getName()), "the analysis names the planted hot lock");
        check(!byMonitor.containsKey(ColdLock.class.getName()), "a lock used by one thread is never contended");
    } finally {
        Files.deleteIfExists(file);
    }
}

recordAndAnalyse();
/exit
