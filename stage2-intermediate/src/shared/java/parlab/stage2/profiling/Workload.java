package parlab.stage2.profiling;

/** The code to profile: it starts its threads, and waits for them, before it returns. */
@FunctionalInterface
public interface Workload {

    void run() throws Exception;
}
