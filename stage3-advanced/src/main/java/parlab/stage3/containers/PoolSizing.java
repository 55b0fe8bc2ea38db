package parlab.stage3.containers;

import java.util.List;
import java.util.concurrent.Callable;

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
 * <p>Baseline experiment: {@code java -XX:ActiveProcessorCount=1 -cp ... parlab.stage3.containers.PoolReport}
 * prints "available-processors 1" on any machine; in a container, {@code docker run --cpus=1} gives the same
 * answer without the flag. Now compare {@code nproc} and {@code /proc/cpuinfo} inside such a container: they still
 * count the host's CPUs. Ask the JVM, not the machine.
 *
 * <p>Things to think about: which source of the count should win, and why? What should a service do when the
 * count it is given makes no sense? How do you test a rule that reads the environment, which a running JVM
 * cannot change?
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
        // TODO: the property if set, else the environment variable if set, else the available processors
        // TODO: a set value must be a whole number from 1 to MAX_WORKERS: say which setting is wrong, and its value
        throw new UnsupportedOperationException("TODO: workers");
    }

    /** The worker count for this JVM: its {@value #PROPERTY} property, its {@value #ENV} variable, its CPUs. */
    public static int workers() {
        // TODO: gather the three inputs from this JVM
        throw new UnsupportedOperationException("TODO: workers()");
    }

    /** Runs every task on a pool of {@link #workers()} threads; results in the tasks' order; the pool closed. */
    public static <T> List<T> computeAll(List<? extends Callable<T>> tasks) throws InterruptedException {
        // TODO: a pool of exactly workers() threads, closed on every way out (every thread ended)
        // TODO: the results in the tasks' order; a task's unchecked exception rethrown as it was thrown
        throw new UnsupportedOperationException("TODO: computeAll");
    }
}
