package parlab.stage3.retry;

/**
 * The retrier gave up: {@link #reason()} says why, {@link #attempts()} how many calls were made, and the cause is the
 * last failure (the operation's own exception object).
 */
public final class RetryFailedException extends Exception {
    /** Why the retrier stopped. */
    public enum Reason {
        /** The failure was not retryable: the first one ends it. */
        FATAL,
        /** {@code maxAttempts} calls all failed. */
        ATTEMPTS_EXHAUSTED,
        /** The next retry would have started after {@code maxTotalTime}. */
        TIME_LIMIT
    }

    private final Reason reason;
    private final int attempts;

    public RetryFailedException(Reason reason, int attempts, Exception lastFailure) {
        super("gave up (" + reason + ") after " + attempts + (attempts == 1 ? " attempt: " : " attempts: ") + lastFailure,
                lastFailure);
        this.reason = reason;
        this.attempts = attempts;
    }

    public Reason reason() {
        return reason;
    }

    public int attempts() {
        return attempts;
    }
}
