package parlab.testing;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.platform.commons.support.AnnotationSupport;

/**
 * Fails a test that leaves threads or child processes behind: "pool-3 was never shut down", "child process 4711
 * (java ...) is still running". Threads get a grace period to end (a pool that was shut down but not awaited);
 * a child process still alive after it is killed, so that no test leaves an orphan, passing or failing.
 *
 * <p>Registered for every test through JUnit's extension auto-detection.
 */
public final class ThreadLeakCheck implements BeforeEachCallback, AfterEachCallback {
    private static final Duration GRACE = Duration.ofSeconds(2);
    private static final Pattern POOL_THREAD = Pattern.compile("^(.+?)-(?:thread|worker)-\\d+$");
    private static final List<String> INFRASTRUCTURE = List.of("parlab-", "junit-", "ForkJoinPool.commonPool",
            "process reaper", "Attach Listener", "Common-Cleaner", "Reference Handler", "Finalizer",
            "Signal Dispatcher", "Notification Thread", "JFR ", "surefire-", "InnocuousThread", "Keep-Alive-",
            "DestroyJavaVM", "Lincheck", "FixedActiveThreadsExecutor",
            // the JDK's virtual-thread machinery, started by the first virtual thread and kept for the JVM's life
            "VirtualThread-unblocker", "MasterPoller", "Read-Poller", "Write-Poller",
            // Java2D's disposer, started by the first image drawn and kept for the JVM's life
            "Java2D Disposer");
    private static final ExtensionContext.Namespace NS = ExtensionContext.Namespace.create(ThreadLeakCheck.class);

    private record Snapshot(Set<Thread> threads, Set<Long> processes) {
    }

    static boolean isInfrastructure(Thread thread) {
        ThreadGroup group = thread.getThreadGroup();
        return INFRASTRUCTURE.stream().anyMatch(thread.getName()::startsWith)
                || (group != null && group.getName().equals("CarrierThreads")) // virtual threads' scheduler
                || thread.getName().matches("ForkJoinPool-\\d+-delayScheduler");
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        context.getStore(NS).put(Snapshot.class, new Snapshot(ThreadDumps.liveThreads(), childPids()));
    }

    @Override
    public void afterEach(ExtensionContext context) {
        Snapshot before = context.getStore(NS).remove(Snapshot.class, Snapshot.class);
        if (before == null) {
            return;
        }
        boolean failed = context.getExecutionException().isPresent();
        List<String> ignored = ignoredPrefixes(context);
        long deadline = System.nanoTime() + GRACE.toNanos();
        List<Thread> leakedThreads;
        List<ProcessHandle> leakedProcesses;
        do {
            leakedThreads = ThreadDumps.liveThreads().stream()
                    .filter(t -> !before.threads().contains(t) && t.isAlive() && !isInfrastructure(t))
                    .filter(t -> ignored.stream().noneMatch(t.getName()::startsWith))
                    .toList();
            leakedProcesses = children().filter(p -> !before.processes().contains(p.pid())).toList();
            if ((leakedThreads.isEmpty() && leakedProcesses.isEmpty()) || failed) {
                break;
            }
            try {
                Thread.sleep(10); // polling the JVM's thread list, not synchronising with the code under test
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        } while (System.nanoTime() < deadline);

        String processReport = killAll(leakedProcesses);
        if (failed) {
            return; // the test's own failure says more; a deadlocked or hung test leaves threads behind anyway
        }
        StringBuilder report = new StringBuilder();
        if (!leakedThreads.isEmpty()) {
            report.append(describeThreads(leakedThreads));
        }
        report.append(processReport);
        if (!report.isEmpty()) {
            throw new LeakError(report.toString().strip());
        }
    }

    private static String describeThreads(List<Thread> threads) {
        Map<String, List<Thread>> byPool = new LinkedHashMap<>();
        List<Thread> loose = new ArrayList<>();
        for (Thread thread : threads) {
            Matcher pool = POOL_THREAD.matcher(thread.getName());
            if (pool.matches()) {
                byPool.computeIfAbsent(pool.group(1), k -> new ArrayList<>()).add(thread);
            } else {
                loose.add(thread);
            }
        }
        StringBuilder out = new StringBuilder();
        byPool.forEach((pool, members) -> out.append(pool).append(" was never shut down: ")
                .append(members.size()).append(members.size() == 1 ? " thread is" : " threads are")
                .append(" still alive ").append(GRACE.toSeconds())
                .append(" s after the test. Close the executor (try-with-resources, or shutdown() and "
                        + "awaitTermination()).\n"));
        for (Thread thread : loose) {
            out.append("thread ").append(thread.getName()).append(" is still running ").append(GRACE.toSeconds())
                    .append(" s after the test: join every thread you start, or stop it before returning.\n");
        }
        out.append('\n');
        threads.stream().limit(4).forEach(t -> out.append(ThreadDumps.stack(t)));
        return out.toString();
    }

    private static String killAll(List<ProcessHandle> processes) {
        StringBuilder out = new StringBuilder();
        for (ProcessHandle process : processes) {
            // a class path runs to thousands of characters and would hide the main class that follows it
            String command = process.info().commandLine().orElse("?")
                    .replaceAll("(-cp|-classpath|--class-path) \\S+", "$1 ...")
                    .replaceAll("-Djava\\.library\\.path=\\S+", "-Djava.library.path=...");
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
            out.append("child process ").append(process.pid()).append(" (")
                    .append(command.length() > 200 ? command.substring(0, 200) + "..." : command)
                    .append(") was still running after the test; it has been killed. Wait for every process "
                            + "you start, and destroy it when you give up on it.\n");
        }
        return out.toString();
    }

    private static List<String> ignoredPrefixes(ExtensionContext context) {
        List<String> prefixes = new ArrayList<>();
        context.getTestMethod().flatMap(m -> AnnotationSupport.findAnnotation(m, IgnoreThreads.class))
                .ifPresent(a -> prefixes.addAll(List.of(a.value())));
        context.getTestClass().flatMap(c -> AnnotationSupport.findAnnotation(c, IgnoreThreads.class))
                .ifPresent(a -> prefixes.addAll(List.of(a.value())));
        return prefixes;
    }

    /**
     * Child processes alive now. Listing them scans every process of the machine, so it is skipped while this JVM
     * has never started a process: the JDK starts its "process reaper" thread with the first one.
     */
    private static Stream<ProcessHandle> children() {
        boolean everStarted = ThreadDumps.liveThreads().stream().anyMatch(t -> t.getName().startsWith("process reaper"));
        return everStarted ? ProcessHandle.current().children().filter(ProcessHandle::isAlive) : Stream.empty();
    }

    private static Set<Long> childPids() {
        return children().map(ProcessHandle::pid).collect(java.util.stream.Collectors.toSet());
    }
}
