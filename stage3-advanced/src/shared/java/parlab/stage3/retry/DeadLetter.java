package parlab.stage3.retry;

/**
 * An item the retrier gave up on, kept with everything needed to look at it later or replay it: why it was given up,
 * after how many calls, and the last failure.
 */
public record DeadLetter<T>(T item, RetryFailedException.Reason reason, int attempts, Exception lastFailure) {
}
