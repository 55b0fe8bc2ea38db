package parlab.testing;

/** A test did not finish within its time limit; the message shows where its threads stood. */
public final class HangError extends AssertionError {
    public HangError(String description) {
        super(description);
    }
}
