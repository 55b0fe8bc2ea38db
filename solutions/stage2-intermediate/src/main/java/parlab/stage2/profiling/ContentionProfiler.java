package parlab.stage2.profiling;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedClass;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedThread;
import jdk.jfr.consumer.RecordingFile;

/**
 * s2e11 · Profiling concurrent code: the contention profiler.
 *
 * <p>Reference solution. A {@link Recording} made without a configuration records nothing until an event is
 * enabled; {@code jdk.JavaMonitorEnter} is enabled with an explicit threshold of zero (the ready-made
 * {@code default} and {@code profile} configurations use 20 ms and 10 ms) and without stack traces (the report
 * groups by class, so the stacks would only cost time and file space). The recording lives in a
 * try-with-resources block, so a failing workload still closes it (which also stops it); the file lives in a
 * try/finally around everything, so it is deleted on every path, after {@link RecordingFile} has closed it.
 *
 * <p>The events are read one at a time ({@link RecordingFile#readEvent()}) instead of all at once, so a long
 * recording need not fit in memory, and folded into one running tally per monitor class: a count and a sum of
 * durations. Only events of threads named {@code threadPrefix...} count; {@link RecordedEvent#getThread()} is the
 * thread that waited ({@code null} for events of no Java thread). The tallies are then sorted: most waits first,
 * longest blocked first among equals.
 *
 * <p>Other ways: {@code jdk.jfr.consumer.RecordingStream} delivers the same events live, while the workload runs,
 * with no file at all; it is what a monitoring agent would use, at the price of a stream thread and of events
 * arriving about once a second. Ranking by blocked time rather than by count names the lock that cost the most
 * waiting, which is what matters for throughput; the count is the steadier number from run to run. For
 * {@code java.util.concurrent} locks, enable {@code jdk.ThreadPark} too and group it by {@code parkedClass}.
 */
public final class ContentionProfiler {
    /** The JFR event a thread emits when it had to wait to enter a monitor. */
    public static final String MONITOR_ENTER = "jdk.JavaMonitorEnter";

    private ContentionProfiler() {
    }

    /**
     * Runs {@code workload} under a JFR recording and ranks the monitors that the threads named
     * {@code threadPrefix...} had to wait for.
     *
     * @param threadPrefix whose waits count: threads whose name starts with it
     * @param workDir      where the recording may be dumped (a temporary file, deleted before returning)
     * @param workload     the code to profile
     */
    public static ContentionReport profile(String threadPrefix, Path workDir, Workload workload) throws Exception {
        Objects.requireNonNull(threadPrefix, "threadPrefix");
        Objects.requireNonNull(workload, "workload");
        Path file = Files.createTempFile(workDir, "contention-", ".jfr");
        try {
            try (Recording recording = new Recording()) {
                recording.setName("contention profile");
                recording.enable(MONITOR_ENTER).withThreshold(Duration.ZERO).withoutStackTrace();
                recording.start();
                workload.run();
                recording.stop();
                recording.dump(file);
            }
            return analyse(file, threadPrefix);
        } finally {
            Files.deleteIfExists(file);
        }
    }

    /** Folds the monitor-enter events of the profiled threads into one ranked line per monitor class. */
    private static ContentionReport analyse(Path file, String threadPrefix) throws IOException {
        Map<String, Tally> byClass = new HashMap<>();
        try (RecordingFile events = new RecordingFile(file)) {
            while (events.hasMoreEvents()) {
                RecordedEvent event = events.readEvent();
                if (!event.getEventType().getName().equals(MONITOR_ENTER)) {
                    continue;
                }
                RecordedThread thread = event.getThread();
                String name = thread == null ? null : thread.getJavaName();
                if (name == null || !name.startsWith(threadPrefix)) {
                    continue;
                }
                RecordedClass monitorClass = event.getClass("monitorClass");
                String className = monitorClass == null ? "unknown" : monitorClass.getName();
                byClass.computeIfAbsent(className, k -> new Tally()).add(event.getDuration());
            }
        }
        List<MonitorContention> ranked = new ArrayList<>(byClass.size());
        byClass.forEach((className, tally) ->
                ranked.add(new MonitorContention(className, tally.events, tally.blocked)));
        ranked.sort(Comparator.comparingLong(MonitorContention::events)
                .thenComparing(MonitorContention::blocked)
                .reversed());
        return new ContentionReport(ranked);
    }

    /** One monitor class's running totals; used by the reading thread only. */
    private static final class Tally {
        private long events;
        private Duration blocked = Duration.ZERO;

        void add(Duration wait) {
            events++;
            blocked = blocked.plus(wait);
        }
    }
}
