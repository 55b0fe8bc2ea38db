package parlab.stage3.containers;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * s3e11 · Resource limits in containers.
 *
 * <p>A container on a 64-core host, limited to 2 CPUs by its CPU quota ({@code docker run --cpus=2}, a Kubernetes
 * {@code limits.cpu: 2}), that starts 64 CPU-bound threads gets 2 CPUs' worth of time sliced 64 ways, and is
 * throttled by the kernel for the rest of each period: more threads, more context switches, more memory, no more
 * work done. The JVM reads the container's cgroup limits at start-up, and {@link Runtime#availableProcessors()}
 * already answers 2 there (since JDK 10; cgroup v2 since JDK 15). The flag {@code -XX:ActiveProcessorCount=n} makes
 * it answer n anywhere, which is how the tests play "container" on any machine.
 *
 * <p>The contract, which the tests pin down (in this JVM, and in child JVMs with {@code -XX:ActiveProcessorCount}):
 * <ul>
 *   <li>{@link #workers(String, String, int)} decides the number of CPU workers: the system property
 *       {@value #PROPERTY} if it is set, else the environment variable {@value #ENV} if it is set, else the
 *       available processors. An operator's override wins, because they may know better (a quota of 0.5 CPU, a
 *       machine shared with other services);
 *   <li>a set override that is not a whole number from 1 to {@value #MAX_WORKERS} (an empty one included) is an
 *       {@link IllegalArgumentException} whose message names where it came from ({@code -D}{@value #PROPERTY} or
 *       {@value #ENV}) and the bad value: a service must refuse to start on a typo, not guess;
 *   <li>{@link #workers()} applies that rule to this JVM's property, environment and processors;
 *   <li>{@link #computeAll} runs the tasks on a pool of exactly {@link #workers()} threads and returns their results
 *       in the tasks' order; it rethrows a task's unchecked exception as it was thrown; the pool is closed, and
 *       every one of its threads has ended, when it returns or throws.
 * </ul>
 *
 * <p>Reference solution. The rule is a pure function of three inputs, so it is tested without touching the real
 * environment (which Java cannot change in a running JVM); {@link #workers()} only gathers the inputs. The pool is a
 * fixed pool in a try-with-resources block: {@code close()} waits for every task and thread, on every way out.
 *
 * <p>Other ways: {@code -XX:ActiveProcessorCount} itself is an override an operator can pass through
 * {@code JAVA_TOOL_OPTIONS}, and it also sizes the JVM's own GC and JIT threads and the common
 * {@code ForkJoinPool}; {@code -Djava.util.concurrent.ForkJoinPool.common.parallelism} sizes only the latter. A
 * fractional quota (1.5 CPUs) is rounded up by the JVM; a pool for I/O-bound work should not follow the CPU count
 * at all (s1e08: virtual threads).
 */
public final class PoolSizing {
    /** The system property that overrides the worker count: {@code -Dparlab.workers=4}. */
    public static final String PROPERTY = "parlab.workers";
    /** The environment variable that overrides it when the property is not set: {@code PARLAB_WORKERS=4}. */
    public static final String ENV = "PARLAB_WORKERS";
    /** No sane CPU pool is larger: a bigger value is a typo. */
    public static final int MAX_WORKERS = 1024;

    private PoolSizing() {
    }

    /** The worker count from a property value and an environment value (either may be null: not set). */
    public static int workers(String property, String env, int availableProcessors) {
        if (property != null) {
            return parse("-D" + PROPERTY, property);
        }
        if (env != null) {
            return parse(ENV, env);
        }
        return availableProcessors;
    }

    private static int parse(String source, String value) {
        int workers;
        try {
            workers = Integer.parseInt(value.strip());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(source + "='" + value + "' is not a whole number; set it to a worker"
                    + " count from 1 to " + MAX_WORKERS + ", or unset it to follow the available processors", e);
        }
        if (workers < 1 || workers > MAX_WORKERS) {
            throw new IllegalArgumentException(source + "='" + value + "' is out of range; set it to a worker count"
                    + " from 1 to " + MAX_WORKERS + ", or unset it to follow the available processors");
        }
        return workers;
    }

    /** The worker count for this JVM: its {@value #PROPERTY} property, its {@value #ENV} variable, its CPUs. */
    public static int workers() {
        return workers(System.getProperty(PROPERTY), System.getenv(ENV), Runtime.getRuntime().availableProcessors());
    }

    /** Runs every task on a pool of {@link #workers()} threads; results in the tasks' order; the pool closed. */
    public static <T> List<T> computeAll(List<? extends Callable<T>> tasks) throws InterruptedException {
        int workers = workers();
        try (ExecutorService pool = Executors.newFixedThreadPool(workers,
                Thread.ofPlatform().name("cpu-worker-", 0).factory())) {
            List<Future<T>> futures = new ArrayList<>();
            for (Callable<T> task : tasks) {
                futures.add(pool.submit(task));
            }
            List<T> results = new ArrayList<>(futures.size());
            for (Future<T> future : futures) {
                try {
                    results.add(future.get());
                } catch (ExecutionException e) {
                    pool.shutdownNow(); // the others' results are not wanted any more
                    throw rethrow(e.getCause());
                }
            }
            return results;
        }
    }

    private static RuntimeException rethrow(Throwable cause) {
        if (cause instanceof RuntimeException unchecked) {
            return unchecked;
        }
        if (cause instanceof Error error) {
            throw error;
        }
        return new IllegalStateException("a task failed", cause);
    }
}
