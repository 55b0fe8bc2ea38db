package parlab.stage3.retry;

import java.time.Duration;
import java.util.Objects;

/**
 * How hard to try: at most {@code maxAttempts} calls (the first one included), waits that grow from
 * {@code initialDelay} by {@code multiplier} up to {@code maxDelay}, shortened at random by up to {@code jitter}
 * (a fraction in [0, 1]), and no retry that would start later than {@code maxTotalTime} after the first attempt.
 *
 * <p>Both limits are mandatory: a policy that could retry forever cannot be built.
 */
public record RetryPolicy(int maxAttempts, Duration initialDelay, double multiplier, Duration maxDelay, double jitter,
                          Duration maxTotalTime) {

    public RetryPolicy {
        Objects.requireNonNull(initialDelay, "initialDelay");
        Objects.requireNonNull(maxDelay, "maxDelay");
        Objects.requireNonNull(maxTotalTime, "maxTotalTime: a retry policy without a time limit can retry forever");
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("maxAttempts must be at least 1 (the first call), was " + maxAttempts);
        }
        if (initialDelay.isNegative()) {
            throw new IllegalArgumentException("initialDelay must not be negative, was " + initialDelay);
        }
        if (!(multiplier >= 1.0) || Double.isInfinite(multiplier)) {
            throw new IllegalArgumentException("multiplier must be a finite number >= 1, was " + multiplier);
        }
        if (maxDelay.compareTo(initialDelay) < 0) {
            throw new IllegalArgumentException("maxDelay " + maxDelay + " is below initialDelay " + initialDelay);
        }
        if (!(jitter >= 0.0 && jitter <= 1.0)) {
            throw new IllegalArgumentException("jitter must be a fraction in [0, 1], was " + jitter);
        }
        if (maxTotalTime.isNegative() || maxTotalTime.isZero()) {
            throw new IllegalArgumentException("maxTotalTime must be positive, was " + maxTotalTime);
        }
    }

    /** No jitter: 100 ms, 200 ms, 400 ms, ... up to 10 s, at most {@code maxAttempts} calls within one minute. */
    public static RetryPolicy exponential(int maxAttempts) {
        return new RetryPolicy(maxAttempts, Duration.ofMillis(100), 2.0, Duration.ofSeconds(10), 0.0,
                Duration.ofMinutes(1));
    }

    public RetryPolicy withDelays(Duration initialDelay, double multiplier, Duration maxDelay) {
        return new RetryPolicy(maxAttempts, initialDelay, multiplier, maxDelay, jitter, maxTotalTime);
    }

    public RetryPolicy withJitter(double jitter) {
        return new RetryPolicy(maxAttempts, initialDelay, multiplier, maxDelay, jitter, maxTotalTime);
    }

    public RetryPolicy withMaxTotalTime(Duration maxTotalTime) {
        return new RetryPolicy(maxAttempts, initialDelay, multiplier, maxDelay, jitter, maxTotalTime);
    }
}
