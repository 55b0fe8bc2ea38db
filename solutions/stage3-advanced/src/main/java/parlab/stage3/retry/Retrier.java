package parlab.stage3.retry;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.random.RandomGenerator;

/**
 * s3e04 · Error recovery and retry.
 *
 * <p>A call to another process or machine fails now and then for reasons that go away (a timeout, a dropped
 * connection, a busy server), and sometimes for reasons that never will (a malformed request, a missing
 * permission). A retrier tries again for the first kind, waiting longer each time so that a struggling server gets
 * room to recover, spreads the waits at random so that a thousand clients do not all come back at the same instant,
 * and always gives up in the end: after a number of attempts, or when the time budget is spent. What it gives up on
 * goes to a dead-letter queue instead of vanishing.
 *
 * <p>The contract, which the tests pin down on a fake clock (so that they are exact and take no time):
 * <ul>
 *   <li>the wait before retry {@code n} (n = 1 before the second call) is {@link #delayBeforeRetry(int)}:
 *       {@code e = min(maxDelay, initialDelay * multiplier^(n-1))}, then {@code e * (1 - jitter * u)} with
 *       {@code u = random.nextDouble()}, rounded to the nanosecond; exactly one {@code nextDouble()} per retry, so a
 *       seed gives the same waits on every run;
 *   <li>a failure the {@code retryable} predicate rejects ends the call at once ({@code FATAL}, no wait);
 *   <li>after {@code maxAttempts} failed calls it gives up ({@code ATTEMPTS_EXHAUSTED}) without waiting again;
 *   <li>it never starts a wait that would end more than {@code maxTotalTime} after the first call began; it gives
 *       up ({@code TIME_LIMIT}) instead. Time spent inside the operation counts;
 *   <li>an interrupt is never retried and never swallowed: an {@link InterruptedException} from the operation or
 *       from the sleeper leaves {@code call} as it is; an {@link Error} is not retried either, it propagates as is.
 * </ul>
 *
 * <p>Reference solution. The loop holds no state beyond the attempt count and the start time, so one retrier can
 * serve several threads as long as its {@code RandomGenerator} can (a {@code SplittableRandom} cannot; give each
 * thread its own retrier, or pass a thread-safe generator).
 *
 * <p>Other ways: "full jitter" (a uniform wait in [0, e]) spreads clients best but can retry at once; "decorrelated
 * jitter" grows from the previous wait instead of the attempt number. Resilience4j's {@code Retry} and Failsafe
 * offer all three, plus circuit breakers that stop calling a service that keeps failing.
 */
public final class Retrier {
    private final RetryPolicy policy;
    private final Predicate<? super Exception> retryable;
    private final Clock clock;
    private final Sleeper sleeper;
    private final RandomGenerator random;

    public Retrier(RetryPolicy policy, Predicate<? super Exception> retryable, Clock clock, Sleeper sleeper,
                   RandomGenerator random) {
        this.policy = Objects.requireNonNull(policy, "policy");
        this.retryable = Objects.requireNonNull(retryable, "retryable");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.sleeper = Objects.requireNonNull(sleeper, "sleeper");
        this.random = Objects.requireNonNull(random, "random");
    }

    /** The wait before retry {@code retry} (1 = before the second call); draws one number from the generator. */
    public Duration delayBeforeRetry(int retry) {
        if (retry < 1) {
            throw new IllegalArgumentException("retry counts from 1, was " + retry);
        }
        double exponential = Math.min((double) policy.maxDelay().toNanos(),
                policy.initialDelay().toNanos() * Math.pow(policy.multiplier(), retry - 1));
        double u = random.nextDouble();
        return Duration.ofNanos(Math.round(exponential * (1.0 - policy.jitter() * u)));
    }

    /**
     * Calls {@code operation} until it returns, retrying retryable failures within the policy's limits.
     *
     * @throws RetryFailedException when it gives up; its cause is the operation's last exception
     * @throws InterruptedException when interrupted while waiting, or when the operation itself was interrupted
     */
    public <T> T call(Callable<T> operation) throws RetryFailedException, InterruptedException {
        long start = clock.nanoTime();
        for (int attempt = 1; ; attempt++) {
            Exception failure;
            try {
                return operation.call();
            } catch (InterruptedException e) {
                throw e; // an interrupt is a request to stop, not a failure to retry
            } catch (Exception e) {
                failure = e;
            }
            if (!retryable.test(failure)) {
                throw new RetryFailedException(RetryFailedException.Reason.FATAL, attempt, failure);
            }
            if (attempt >= policy.maxAttempts()) {
                throw new RetryFailedException(RetryFailedException.Reason.ATTEMPTS_EXHAUSTED, attempt, failure);
            }
            Duration delay = delayBeforeRetry(attempt);
            long elapsed = clock.nanoTime() - start;
            if (elapsed + delay.toNanos() > policy.maxTotalTime().toNanos()) {
                throw new RetryFailedException(RetryFailedException.Reason.TIME_LIMIT, attempt, failure);
            }
            sleeper.sleep(delay); // throws InterruptedException straight out of the loop
        }
    }

    /**
     * Handles every item in order, each with its own retries; an item given up on goes to {@code deadLetters} and the
     * batch goes on. An interrupt stops the batch: no further item is handled, and the interrupted item is not a
     * dead letter (it did not fail; it was stopped).
     *
     * @return how many items were handled successfully
     */
    public <T> int runAll(List<T> items, ItemHandler<? super T> handler, Consumer<? super DeadLetter<T>> deadLetters)
            throws InterruptedException {
        int succeeded = 0;
        for (T item : items) {
            try {
                call(() -> {
                    handler.handle(item);
                    return null;
                });
                succeeded++;
            } catch (RetryFailedException e) {
                deadLetters.accept(new DeadLetter<>(item, e.reason(), e.attempts(), (Exception) e.getCause()));
            }
        }
        return succeeded;
    }
}
