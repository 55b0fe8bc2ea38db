package parlab.testing;

import java.lang.reflect.Method;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.extension.DynamicTestInvocationContext;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.InvocationInterceptor;
import org.junit.jupiter.api.extension.ReflectiveInvocationContext;

/**
 * Runs every test body on its own thread and watches it: a deadlock among the threads the test started becomes a
 * {@link DeadlockError} that names the threads, the locks they hold and the locks they wait for, within tens of
 * milliseconds instead of a hung build. When JUnit's timeout (configured in {@code junit-platform.properties})
 * interrupts the wait, the failure shows where the test's threads stood.
 *
 * <p>Registered for every test through JUnit's extension auto-detection; nothing to annotate.
 */
public final class Watchdog implements InvocationInterceptor {
    private static final long POLL_MILLIS = 25;
    /** Deadlocked threads already reported; they stay deadlocked for the rest of the JVM's life. */
    private static final Set<Long> REPORTED = java.util.concurrent.ConcurrentHashMap.newKeySet();

    @Override
    public void interceptTestMethod(Invocation<Void> invocation, ReflectiveInvocationContext<Method> call,
            ExtensionContext context) throws Throwable {
        guard(invocation, context.getDisplayName());
    }

    @Override
    public void interceptTestTemplateMethod(Invocation<Void> invocation, ReflectiveInvocationContext<Method> call,
            ExtensionContext context) throws Throwable {
        guard(invocation, context.getDisplayName());
    }

    @Override
    public void interceptDynamicTest(Invocation<Void> invocation, DynamicTestInvocationContext call,
            ExtensionContext context) throws Throwable {
        guard(invocation, context.getDisplayName());
    }

    private static <T> T guard(Invocation<T> invocation, String testName) throws Throwable {
        Set<Thread> before = ThreadDumps.liveThreads();
        CompletableFuture<T> result = new CompletableFuture<>();
        Thread body = Thread.ofPlatform().name("parlab-test-body").daemon(true).unstarted(() -> {
            try {
                result.complete(invocation.proceed());
            } catch (Throwable failure) {
                result.completeExceptionally(failure);
            }
        });
        body.start();
        Set<Long> suspected = Set.of();
        try {
            while (true) {
                try {
                    return result.get(POLL_MILLIS, TimeUnit.MILLISECONDS);
                } catch (TimeoutException stillRunning) {
                    // Threads of an earlier test may still be deadlocked (they can never be freed): only threads
                    // not yet reported count. Asked at the first poll, not at the start, so quick tests pay nothing.
                    Set<Long> deadlocked = new HashSet<>(ThreadDumps.deadlockedThreadIds());
                    deadlocked.removeAll(REPORTED);
                    // The JDK also calls a cycle of tryLock(timeout) waits deadlocked, but a timeout will break
                    // it: only a cycle without timed waits, seen at two polls in a row, is reported.
                    if (ThreadDumps.anyTimedWaiting(deadlocked)) {
                        deadlocked.clear();
                    }
                    boolean confirmed = !deadlocked.isEmpty() && suspected.containsAll(deadlocked);
                    suspected = deadlocked;
                    if (confirmed) {
                        REPORTED.addAll(deadlocked);
                        body.interrupt();
                        throw new DeadlockError(ThreadDumps.describeDeadlock(deadlocked)
                                + "Each thread waits for a lock another one holds, so none can go on. "
                                + "Take locks in one global order, or use tryLock with a timeout and back off.");
                    }
                } catch (ExecutionException failed) {
                    throw failed.getCause();
                }
            }
        } catch (InterruptedException timeUp) {
            HangError hang = new HangError(describeHang(testName, before, body)); // before the interrupt moves them
            body.interrupt();
            throw hang;
        }
    }

    private static String describeHang(String testName, Set<Thread> before, Thread body) {
        StringBuilder out = new StringBuilder(testName)
                .append(" did not finish in time: something waits forever or loops without end.\n")
                .append("Where the test and the threads it started stood:\n\n")
                .append(ThreadDumps.stack(body));
        for (Thread thread : ThreadDumps.liveThreads()) {
            if (!before.contains(thread) && thread != body && !ThreadLeakCheck.isInfrastructure(thread)) {
                out.append(ThreadDumps.stack(thread));
            }
        }
        return out.toString();
    }
}
