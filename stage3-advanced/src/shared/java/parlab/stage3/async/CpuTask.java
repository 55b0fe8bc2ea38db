package parlab.stage3.async;

import java.util.List;

/**
 * The CPU-heavy part of a request: it gets the fetched values, in key order, and computes for a while. A well-behaved
 * task checks {@link Thread#interrupted()} now and then and gives up with an {@link InterruptedException}.
 */
@FunctionalInterface
public interface CpuTask<R> {
    R compute(List<String> fetched) throws Exception;
}
