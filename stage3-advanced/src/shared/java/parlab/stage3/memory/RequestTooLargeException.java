package parlab.stage3.memory;

/**
 * A request for more bytes than the whole {@link ByteBudget}: it could never be admitted, so waiting for it would
 * hang the caller for ever. Thrown at once instead.
 */
public final class RequestTooLargeException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    public RequestTooLargeException(long requested, long capacity) {
        super("a request of " + requested + " bytes can never fit a budget of " + capacity
                + " bytes; split the work into smaller pieces or raise the budget");
    }
}
