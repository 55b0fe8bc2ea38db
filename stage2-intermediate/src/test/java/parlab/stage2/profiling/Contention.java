package parlab.stage2.profiling;

import java.lang.management.LockInfo;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.IntConsumer;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedThread;
import jdk.jfr.consumer.RecordingFile;

/**
 * Test-side tools for contention that is certain rather than likely, and an independent JFR meter.
 *
 * <p>Whether two threads ever collide on a lock is up to the scheduler; on 2 busy cores they may well not. To make
 * the tests independent of that luck, {@link Crew#goBlockedOn} holds the monitor itself while it lets the workers
 * go, and lets go of it only once every one of them is {@code BLOCKED} on it (asked from {@link ThreadMXBean}, which
 * names the lock a thread waits for): each of them then has had to wait once, and JFR records each wait.
 */
final class Contention {
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    private Contention() {
    }

    /**
     * Threads started by the test: they wait at a gate until {@link #go()}, run their body, and count down a latch as
     * the last thing they do.
     *
     * <p>Two things a thread does that JFR also sees as waits, which are real but are not the contention under test,
     * are kept out of the profile this way. {@link Thread#start()} holds the new thread's own monitor for a moment,
     * and the new thread takes it as it starts: when the two meet, the new thread waits on {@code java.lang.Thread}.
     * So the threads are started before the recording, and only the gate is opened during it. And
     * {@link Thread#join()} holds the thread's monitor too, which the ending thread takes to wake its joiners: so the
     * workload waits with {@link #awaitDone()}, and the threads are joined after the recording.
     */
    static final class Crew {
        private final List<Thread> threads = new ArrayList<>();
        private final CountDownLatch gate = new CountDownLatch(1);
        private final CountDownLatch done;

        private Crew(String prefix, int count, IntConsumer body) {
            done = new CountDownLatch(count);
            for (int i = 0; i < count; i++) {
                int index = i;
                threads.add(Thread.ofPlatform().name(prefix + i).start(() -> {
                    try {
                        gate.await();
                        body.accept(index);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    } finally {
                        done.countDown();
                    }
                }));
            }
        }

        /** Opens the gate: every thread runs its body. */
        void go() {
            gate.countDown();
        }

        /**
         * Opens the gate while holding {@code monitor}, and lets go of it once each thread is blocked on it or has
         * ended: each thread whose body starts by taking {@code monitor} then has had to wait for it once.
         */
        void goBlockedOn(Object monitor) throws InterruptedException {
            synchronized (monitor) {
                go();
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
                for (Thread thread : threads) {
                    while (!blockedOn(thread, monitor) && thread.isAlive()) {
                        if (System.nanoTime() > deadline) {
                            throw new AssertionError(thread.getName() + " never blocked on " + monitor
                                    + " nor ended within 10 s");
                        }
                        Thread.sleep(1); // polling the thread's state, not synchronising with it
                    }
                }
            }
        }

        /** Waits until every thread has run its body to the end (or failed). */
        void awaitDone() throws InterruptedException {
            done.await();
        }

        /** Opens the gate (if nobody did) and joins every thread. */
        void join() throws InterruptedException {
            go();
            for (Thread thread : threads) {
                thread.join();
            }
        }
    }

    /** Joins every thread of every crew. */
    static void joinAll(List<Crew> crews) throws InterruptedException {
        for (Crew crew : crews) {
            crew.join();
        }
    }

    /**
     * Starts {@code count} platform threads named {@code prefix0, prefix1, ...} that will run {@code body.accept(i)}
     * once the crew's gate opens.
     */
    static Crew ready(String prefix, int count, IntConsumer body) {
        return new Crew(prefix, count, body);
    }

    private static boolean blockedOn(Thread thread, Object monitor) {
        ThreadInfo info = THREADS.getThreadInfo(thread.threadId());
        if (info == null || info.getThreadState() != Thread.State.BLOCKED) {
            return false;
        }
        LockInfo lock = info.getLockInfo();
        return lock != null && lock.getIdentityHashCode() == System.identityHashCode(monitor)
                && lock.getClassName().equals(monitor.getClass().getName());
    }

    /**
     * The waits JFR records while {@code run} runs, for threads named {@code prefix...}: monitor enters by monitor
     * class, and parks by parked class ({@code "park " + class}), every wait however short that began during the
     * recording (a thread parked at its crew's gate since before does not count).
     */
    static Map<String, Long> waitsDuring(String prefix, Path dir, Workload run) throws Exception {
        Path file = Files.createTempFile(dir, "meter-", ".jfr");
        Instant started;
        try {
            try (Recording recording = new Recording()) {
                recording.enable("jdk.JavaMonitorEnter").withThreshold(Duration.ZERO).withoutStackTrace();
                recording.enable("jdk.ThreadPark").withThreshold(Duration.ZERO).withoutStackTrace();
                recording.start();
                started = recording.getStartTime();
                run.run();
                recording.stop();
                recording.dump(file);
            }
            Map<String, Long> waits = new TreeMap<>();
            for (RecordedEvent event : RecordingFile.readAllEvents(file)) {
                if (event.getStartTime().isBefore(started)) {
                    continue;
                }
                RecordedThread thread = event.getThread();
                if (thread == null || thread.getJavaName() == null || !thread.getJavaName().startsWith(prefix)) {
                    continue;
                }
                String what = switch (event.getEventType().getName()) {
                    case "jdk.JavaMonitorEnter" -> event.getClass("monitorClass").getName();
                    case "jdk.ThreadPark" -> "park " + (event.getClass("parkedClass") == null
                            ? "?" : event.getClass("parkedClass").getName());
                    default -> null;
                };
                if (what != null) {
                    waits.merge(what, 1L, Long::sum);
                }
            }
            return waits;
        } finally {
            Files.deleteIfExists(file);
        }
    }

    static long total(Map<String, Long> waits) {
        return waits.values().stream().mapToLong(Long::longValue).sum();
    }
}
