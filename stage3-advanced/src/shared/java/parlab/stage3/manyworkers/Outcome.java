package parlab.stage3.manyworkers;

import java.util.Arrays;

/**
 * What {@link ManyWorkers#run} returns: the sum of every unit's result, and how many units each worker did
 * ({@code unitsPerWorker[i]} for the i-th thread made by the factory).
 */
public record Outcome(long sum, long[] unitsPerWorker) {
    public Outcome {
        unitsPerWorker = unitsPerWorker.clone();
    }

    /** A copy: the record stays immutable. */
    @Override
    public long[] unitsPerWorker() {
        return unitsPerWorker.clone();
    }

    /** Units done by all workers together. */
    public long units() {
        return Arrays.stream(unitsPerWorker).sum();
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Outcome o && o.sum == sum && Arrays.equals(o.unitsPerWorker, unitsPerWorker);
    }

    @Override
    public int hashCode() {
        return Long.hashCode(sum) * 31 + Arrays.hashCode(unitsPerWorker);
    }

    @Override
    public String toString() {
        return "Outcome[sum=" + sum + ", unitsPerWorker=" + Arrays.toString(unitsPerWorker) + "]";
    }
}
