package parlab.stage2.profiling;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import jdk.jfr.FlightRecorder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The profiler on workloads whose contention the test controls: which lock is contended, how often, by which
 * threads, is certain (see {@link Contention.Crew#goBlockedOn}), so the report it must give is known in advance.
 */
class ContentionProfilerTest {
    private static final Comparator<MonitorContention> RANKING = Comparator
            .comparingLong(MonitorContention::events).reversed()
            .thenComparing(Comparator.comparing(MonitorContention::blocked).reversed());

    /** Four workers fight over it, again and again: the planted hot lock. */
    static final class HotLock {
    }

    /** One worker waits for it once, briefly. */
    static final class DecoyLock {
    }

    /** Two workers wait for it once each. */
    static final class TwoWaitLock {
    }

    /** Three workers wait for it once each. */
    static final class ThreeWaitLock {
    }

    /** Taken again and again, but by one thread only: never contended. */
    static final class ColdLock {
    }

    /** Fought over by six threads that are not profiled (their names do not start with the prefix). */
    static final class NoiseLock {
    }

    @TempDir
    Path workDir;

    private static volatile long sink;

    private static void busy(int rounds) {
        long x = 1;
        for (int i = 0; i < rounds; i++) {
            x = x * 6364136223846793005L + i;
        }
        sink += x;
    }

    /** Every thread a test starts; joined after the test, whatever happened (see {@link Contention.Crew}). */
    private final List<Contention.Crew> crews = new ArrayList<>();

    @AfterEach
    void joinEveryThread() throws InterruptedException {
        Contention.joinAll(crews);
    }

    /**
     * The controlled workload: the decoy (1 certain wait, short), the cold lock (no wait), the noise (6 certain
     * waits by threads that are not profiled), two more locks with exactly 2 and 3 waits, and the hot lock (4 certain
     * waits, plus whatever the 20 rounds of each worker add). The order in which they are contended, the
     * alphabetical order of their names and a HashMap's order of them all differ from the ranking. Its threads are
     * started now and wait at their gates; the workload opens the gates.
     */
    private Workload plantedWorkload() {
        DecoyLock decoy = new DecoyLock();
        ColdLock cold = new ColdLock();
        NoiseLock noise = new NoiseLock();
        HotLock hot = new HotLock();
        Contention.Crew decoyCrew = crew(Contention.ready("profiled-decoy-", 1, i -> {
            synchronized (decoy) {
                busy(10);
            }
        }));
        Contention.Crew coldCrew = crew(Contention.ready("profiled-cold-", 1, i -> {
            for (int round = 0; round < 50; round++) {
                synchronized (cold) {
                    busy(1_000);
                }
            }
        }));
        Contention.Crew noiseCrew = crew(Contention.ready("other-noise-", 6, i -> {
            synchronized (noise) {
                busy(10);
            }
        }));
        TwoWaitLock two = new TwoWaitLock();
        Contention.Crew twoCrew = crew(Contention.ready("profiled-two-", 2, i -> {
            synchronized (two) {
                busy(10);
            }
        }));
        ThreeWaitLock three = new ThreeWaitLock();
        Contention.Crew threeCrew = crew(Contention.ready("profiled-three-", 3, i -> {
            synchronized (three) {
                busy(10);
            }
        }));
        Contention.Crew hotCrew = crew(Contention.ready("profiled-hot-", 4, i -> {
            for (int round = 0; round < 20; round++) {
                synchronized (hot) {
                    busy(20_000);
                }
            }
        }));
        return () -> {
            decoyCrew.goBlockedOn(decoy);
            coldCrew.go();
            noiseCrew.goBlockedOn(noise);
            twoCrew.goBlockedOn(two);
            threeCrew.goBlockedOn(three);
            hotCrew.goBlockedOn(hot);
            for (Contention.Crew crew : crews) {
                crew.awaitDone();
            }
        };
    }

    private Contention.Crew crew(Contention.Crew crew) {
        crews.add(crew);
        return crew;
    }

    @Test
    void theReportNamesThePlantedHotLockFirst() throws Exception {
        ContentionReport report = ContentionProfiler.profile("profiled-", workDir,
                plantedWorkload());

        assertThat(report.mostContended().map(MonitorContention::monitorClass))
                .as("the most contended monitor (the first line of the report) in:%n%s", report)
                .contains(HotLock.class.getName());
        assertThat(report.monitor(HotLock.class.getName())).as("the hot lock's line in:%n%s", report)
                .hasValueSatisfying(hot -> {
                    assertThat(hot.events()).as("waits for the hot lock: each of the 4 workers waited at least "
                            + "once (the test made sure of it)").isGreaterThanOrEqualTo(4);
                    assertThat(hot.blocked()).as("time blocked on the hot lock, all waits added up")
                            .isPositive();
                });
    }

    @Test
    void everyContendedMonitorIsCountedAndRanked() throws Exception {
        ContentionReport report = ContentionProfiler.profile("profiled-", workDir,
                plantedWorkload());

        assertThat(report.monitor(DecoyLock.class.getName()).map(MonitorContention::events))
                .as("waits for the decoy lock, which one thread waited for exactly once, and briefly (a wait "
                        + "shorter than the 20 ms threshold of JFR's default settings still counts), in:%n%s", report)
                .contains(1L);
        assertThat(report.monitor(TwoWaitLock.class.getName()).map(MonitorContention::events))
                .as("waits for the lock that two threads waited for once each, in:%n%s", report).contains(2L);
        assertThat(report.monitor(ThreeWaitLock.class.getName()).map(MonitorContention::events))
                .as("waits for the lock that three threads waited for once each, in:%n%s", report).contains(3L);
        assertThat(report.monitors()).as("the report, ranked by waits (most first), then blocked time:%n%s", report)
                .isSortedAccordingTo(RANKING)
                .extracting(MonitorContention::monitorClass)
                .as("one line per monitor class, no class twice, in:%n%s", report)
                .doesNotHaveDuplicates();
        assertThat(report.totalEvents()).as("all waits, every class: at least 4 + 3 + 2 + 1")
                .isGreaterThanOrEqualTo(10);
    }

    @Test
    void onlyTheProfiledThreadsAndOnlyRealWaitsCount() throws Exception {
        ContentionReport report = ContentionProfiler.profile("profiled-", workDir,
                plantedWorkload());

        assertThat(report.monitor(NoiseLock.class.getName()))
                .as("a lock that only threads named other-... waited for: they are not profiled, in:%n%s", report)
                .isEmpty();
        assertThat(report.monitor(ColdLock.class.getName()))
                .as("a lock taken by one thread only, never waited for, in:%n%s", report)
                .isEmpty();
    }

    @Test
    void aWorkloadWithoutContentionGivesAnEmptyReport() throws Exception {
        Object lock = new Object();
        Contention.Crew alone = crew(Contention.ready("profiled-alone-", 1, i -> {
            for (int round = 0; round < 100; round++) {
                synchronized (lock) {
                    busy(100);
                }
            }
        }));
        ContentionReport report = ContentionProfiler.profile("profiled-", workDir, () -> {
            alone.go();
            alone.awaitDone();
        });
        assertThat(report.monitors()).as("the report of a thread that never had to wait").isEmpty();
        assertThat(report.mostContended()).as("the most contended monitor when none was").isEmpty();
    }

    @Test
    void theRecordingIsClosedAndItsFileDeleted() throws Exception {
        int recordingsBefore = FlightRecorder.getFlightRecorder().getRecordings().size();
        ContentionReport report = ContentionProfiler.profile("profiled-", workDir,
                plantedWorkload());

        assertThat(report.monitors()).as("the report of the planted workload").isNotEmpty();
        assertThat(filesIn(workDir)).as("files left in the work directory after profile() returned").isEmpty();
        assertThat(FlightRecorder.getFlightRecorder().getRecordings())
                .as("JFR recordings still open after profile() returned (close every Recording you make)")
                .hasSize(recordingsBefore);
    }

    @Test
    void aFailingWorkloadReachesTheCallerAndStillCleansUp() throws Exception {
        int recordingsBefore = FlightRecorder.getFlightRecorder().getRecordings().size();
        IllegalStateException boom = new IllegalStateException("boom in the workload");

        assertThatThrownBy(() -> ContentionProfiler.profile("profiled-", workDir, () -> {
            throw boom;
        })).as("the workload's exception, rethrown by profile()").isSameAs(boom);
        assertThat(filesIn(workDir)).as("files left in the work directory after the workload failed").isEmpty();
        assertThat(FlightRecorder.getFlightRecorder().getRecordings())
                .as("JFR recordings still open after the workload failed").hasSize(recordingsBefore);
    }

    @Test
    void theReportNamesTheSynchronizedHitCounterUnderTraffic() throws Exception {
        SynchronizedHitCounter<Query> planted = new SynchronizedHitCounter<>();
        List<Query> queries = Query.sample(64, 11);
        queries.forEach(planted::hit);
        Contention.Crew traffic = crew(Contention.ready("traffic-", 8, t -> {
            for (int i = 0; i < 2_000; i++) {
                planted.hit(queries.get((t * 7 + i) % queries.size()));
            }
        }));
        ContentionReport report = ContentionProfiler.profile("traffic-", workDir, () -> {
            traffic.goBlockedOn(planted);
            traffic.awaitDone();
        });

        assertThat(report.mostContended().map(MonitorContention::monitorClass))
                .as("the most contended monitor of 8 threads counting queries:%n%s", report)
                .contains(SynchronizedHitCounter.class.getName());
        assertThat(report.monitor(SynchronizedHitCounter.class.getName()).orElseThrow().events())
                .as("waits for the planted counter's monitor: each of the 8 threads waited at least once")
                .isGreaterThanOrEqualTo(8);
    }

    private static List<Path> filesIn(Path dir) throws Exception {
        try (Stream<Path> files = Files.list(dir)) {
            return files.toList();
        }
    }
}
