package parlab.testing;

import java.lang.management.LockInfo;
import java.lang.management.ManagementFactory;
import java.lang.management.MonitorInfo;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Turns the JVM's view of its threads into sentences a learner can act on: who holds which lock and waits for
 * which, and where each thread stands. Only platform threads are visible here; virtual threads are not reported
 * by {@link ThreadMXBean}.
 */
public final class ThreadDumps {
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
    private static final int FRAMES = 12;

    private ThreadDumps() {
    }

    /** Ids of the threads that are deadlocked right now (monitors and {@code java.util.concurrent} locks). */
    public static Set<Long> deadlockedThreadIds() {
        long[] ids = THREADS.findDeadlockedThreads();
        if (ids == null) {
            return Set.of();
        }
        return Arrays.stream(ids).boxed().collect(Collectors.toSet());
    }

    /** Whether any of these threads waits with a timeout ({@code tryLock(time)}, {@code parkNanos}) right now. */
    public static boolean anyTimedWaiting(Collection<Long> threadIds) {
        for (ThreadInfo info : THREADS.getThreadInfo(threadIds.stream().mapToLong(Long::longValue).toArray())) {
            if (info != null && info.getThreadState() == Thread.State.TIMED_WAITING) {
                return true;
            }
        }
        return false;
    }

    /** The lock a pool thread holds while it runs a task: the pool's, never part of a learner's deadlock. */
    private static final String POOL_WORKER = "java.util.concurrent.ThreadPoolExecutor$Worker";

    /**
     * Describes a deadlock in words, one clause per thread, followed by the stacks of the threads involved:
     * {@code deadlock: worker-1 holds Account@1f and waits for Account@2e (held by worker-2); ...}.
     */
    public static String describeDeadlock(Collection<Long> threadIds) {
        ThreadInfo[] infos = THREADS.getThreadInfo(threadIds.stream().mapToLong(Long::longValue).toArray(), true, true);
        List<String> clauses = new ArrayList<>();
        StringBuilder stacks = new StringBuilder();
        for (ThreadInfo info : infos) {
            if (info == null) {
                continue;
            }
            List<String> held = new ArrayList<>();
            for (MonitorInfo monitor : info.getLockedMonitors()) {
                held.add(lockName(monitor));
            }
            for (LockInfo lock : info.getLockedSynchronizers()) {
                if (!lock.getClassName().equals(POOL_WORKER)) { // a pool thread's own lock while it runs a task
                    held.add(lockName(lock));
                }
            }
            String waitsFor = info.getLockInfo() == null ? "nothing" : lockName(info.getLockInfo());
            String owner = info.getLockOwnerName() == null ? "" : " (held by " + info.getLockOwnerName() + ")";
            clauses.add(info.getThreadName() + " holds " + (held.isEmpty() ? "no lock" : String.join(" and ", held))
                    + " and waits for " + waitsFor + owner);
            stacks.append(stack(info));
        }
        return "deadlock: " + String.join("; ", clauses) + "\n\n" + stacks;
    }

    /** The stack of one thread in the format of {@code jstack}, cut to its first frames. */
    public static String stack(Thread thread) {
        ThreadInfo info = THREADS.getThreadInfo(new long[] {thread.threadId()}, true, true)[0];
        return info == null ? "\"" + thread.getName() + "\" (ended)\n" : stack(info);
    }

    static String stack(ThreadInfo info) {
        StringBuilder out = new StringBuilder();
        out.append('"').append(info.getThreadName()).append("\" ").append(info.getThreadState());
        if (info.getLockInfo() != null) {
            out.append(" on ").append(lockName(info.getLockInfo()));
        }
        out.append('\n');
        StackTraceElement[] frames = info.getStackTrace();
        for (int i = 0; i < Math.min(FRAMES, frames.length); i++) {
            out.append("    at ").append(frames[i]).append('\n');
            for (MonitorInfo monitor : info.getLockedMonitors()) {
                if (monitor.getLockedStackDepth() == i) {
                    out.append("    - locked ").append(lockName(monitor)).append('\n');
                }
            }
        }
        if (frames.length > FRAMES) {
            out.append("    ...\n");
        }
        return out.toString();
    }

    /**
     * Threads alive now, platform threads only. Enumerating the root thread group is cheap, unlike
     * {@link Thread#getAllStackTraces()}, which stops every thread to walk its stack; this runs around every test.
     */
    public static Set<Thread> liveThreads() {
        ThreadGroup root = Thread.currentThread().getThreadGroup();
        while (root.getParent() != null) {
            root = root.getParent();
        }
        Thread[] threads = new Thread[root.activeCount() + 16];
        int n;
        while ((n = root.enumerate(threads, true)) == threads.length) {
            threads = new Thread[threads.length * 2];
        }
        Set<Thread> live = new HashSet<>();
        for (int i = 0; i < n; i++) {
            live.add(threads[i]);
        }
        return live;
    }

    /**
     * {@code Account@1f}; a {@code ReentrantLock} or a read-write lock by its own class name, not by the class of
     * the synchronizer inside it that the JVM reports ({@code ReentrantLock$NonfairSync}).
     */
    private static String lockName(LockInfo lock) {
        String className = lock.getClassName();
        String simple = className.substring(className.lastIndexOf('.') + 1)
                .replaceFirst("^(Reentrant\\w*Lock)\\$(Nonfair|Fair)?Sync$", "$1");
        return simple + "@" + Integer.toHexString(lock.getIdentityHashCode());
    }
}
