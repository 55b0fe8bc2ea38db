package parlab.stage3.autoscale;

import java.time.Duration;
import java.util.Objects;

/**
 * The rules an autoscaler follows: never fewer than {@code minWorkers} nor more than {@code maxWorkers} workers;
 * one worker per {@code queuePerWorker} waiting tasks; one more worker whenever the oldest waiting task has waited
 * longer than {@code latencyTarget}; and no shrinking until the pool has been oversized for a whole {@code cooldown}
 * (so that a pool does not flap between sizes on a bursty load).
 */
public record ScalingPolicy(int minWorkers, int maxWorkers, int queuePerWorker, Duration latencyTarget,
                            Duration cooldown) {

    public ScalingPolicy {
        Objects.requireNonNull(latencyTarget, "latencyTarget");
        Objects.requireNonNull(cooldown, "cooldown");
        if (minWorkers < 1) {
            throw new IllegalArgumentException("minWorkers must be at least 1, was " + minWorkers);
        }
        if (maxWorkers < minWorkers) {
            throw new IllegalArgumentException("maxWorkers " + maxWorkers + " is below minWorkers " + minWorkers);
        }
        if (queuePerWorker < 1) {
            throw new IllegalArgumentException("queuePerWorker must be at least 1, was " + queuePerWorker);
        }
        if (latencyTarget.isNegative() || latencyTarget.isZero()) {
            throw new IllegalArgumentException("latencyTarget must be positive, was " + latencyTarget);
        }
        if (cooldown.isNegative()) {
            throw new IllegalArgumentException("cooldown must not be negative, was " + cooldown);
        }
    }
}
