package parlab.testing;

/** A test failed because threads it started are deadlocked; the message names them, their locks and stacks. */
public final class DeadlockError extends AssertionError {
    public DeadlockError(String description) {
        super(description);
    }
}
