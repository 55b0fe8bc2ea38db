package parlab.stage2.profiling;

import java.nio.file.Path;

/**
 * s2e11 · Profiling concurrent code.
 *
 * <p>A parallel program that does not get faster with more threads is usually waiting, not computing. Waiting
 * threads use no CPU, so a CPU profile does not show them; what shows them is an <em>event</em> each time a thread
 * had to wait, with the lock it waited for. The JDK Flight Recorder (JFR) records exactly that, and it can be driven
 * from code: {@code jdk.jfr.Recording} starts and stops a recording and dumps it to a file, and
 * {@code jdk.jfr.consumer.RecordingFile} reads the events back. Here you write both halves of the classic loop:
 * measure to find the bottleneck, fix it, measure again.
 *
 * <p>Part 1, this class: {@link #profile} runs a workload under a recording of {@code jdk.JavaMonitorEnter} events
 * (one event each time a thread had to wait to enter a {@code synchronized} block or method) and returns the
 * contended monitors, grouped by the class of the locked object and ranked. The contract the tests pin down:
 * <ul>
 *   <li>every wait is counted, however short. (The JDK's ready-made settings, {@code default} and {@code profile},
 *       record this event only for waits of 20 ms and 10 ms or more, which hides the thousands of sub-millisecond
 *       waits a hot lock really causes; a recording you build event by event says what it wants.)
 *   <li>only the waits of threads whose name starts with {@code threadPrefix} count: the JVM, the test framework
 *       and the recorder have threads and locks of their own;
 *   <li>one {@link MonitorContention} per monitor class, with the number of waits and the total time blocked; the
 *       report is ranked by the number of waits, most first (equal counts: longer blocked time first); a class
 *       whose monitors no profiled thread ever waited for does not appear;
 *   <li>the recording is dumped to a temporary file in {@code workDir}, and on every way out, a failing workload
 *       included, the recording is closed and the file deleted; the workload's exception reaches the caller as
 *       it was thrown.
 * </ul>
 *
 * <p>Part 2, {@link ConcurrentHitCounter}: profile the planted {@link SynchronizedHitCounter} (the report names it),
 * then write the fix, a counter that does not make every thread queue for one lock, and profile it again.
 *
 * <p>Baseline experiment: {@code ./lab bench profiling} measures the throughput of many threads hitting the planted
 * counter, and then yours.
 *
 * <p>Things to think about: why do the waiting threads not show up in a CPU profile? What does a thread that waits
 * for a {@code ReentrantLock} or a queue record instead (look at {@code jdk.ThreadPark} and its {@code parkedClass})?
 * Why is the event's time a better measure of the harm than the number of events, and why is the number of events
 * the more repeatable one? What does it cost to record every wait, and when would you rather keep the threshold?
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
        // TODO: create a temporary file in workDir for the recording, and make sure it is gone on every way out
        // TODO: start a recording with the monitor-enter event enabled for every wait, however short; run the workload
        // TODO: stop the recording and dump it to the file; close the recording on every way out
        // TODO: read the events back; keep the monitor-enter events of the profiled threads; group by monitor class
        // TODO: rank the groups (most waits first, then longest blocked) into a ContentionReport
        throw new UnsupportedOperationException("TODO: profile");
    }
}
