package parlab.stage3.containers;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;

/**
 * The child JVM of s3e11, started by the tests with {@code -XX:ActiveProcessorCount=n} (what a container's CPU
 * quota looks like to the JVM) and sometimes an override. Plumbing, not the lesson: it calls
 * {@link PoolSizing#workers()} and {@link PoolSizing#computeAll} and reports on stdout:
 * <pre>
 *   available-processors &lt;Runtime.availableProcessors()&gt;
 *   workers &lt;PoolSizing.workers()&gt;
 *   threads &lt;distinct threads that ran the tasks&gt;
 * </pre>
 * The tasks (one per worker) wait for each other at a barrier, so they prove that many threads run at once. A bad
 * override ends it with "error: &lt;message&gt;" on stderr and exit code 2; any other failure with exit code 1.
 */
public final class PoolReport {
    /** The exit code when the worker count is refused. */
    public static final int EXIT_BAD_CONFIGURATION = 2;

    private PoolReport() {
    }

    public static void main(String[] args) throws Exception {
        System.out.println("available-processors " + Runtime.getRuntime().availableProcessors());
        int workers;
        try {
            workers = PoolSizing.workers();
        } catch (IllegalArgumentException bad) {
            System.err.println("error: " + bad.getMessage());
            System.exit(EXIT_BAD_CONFIGURATION);
            return;
        }
        System.out.println("workers " + workers);
        CyclicBarrier together = new CyclicBarrier(workers);
        List<Callable<String>> tasks = new ArrayList<>();
        for (int i = 0; i < workers; i++) {
            tasks.add(() -> {
                together.await(10, TimeUnit.SECONDS);
                return Thread.currentThread().getName();
            });
        }
        System.out.println("threads " + new TreeSet<>(PoolSizing.computeAll(tasks)).size());
    }
}
