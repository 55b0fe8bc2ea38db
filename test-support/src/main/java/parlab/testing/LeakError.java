package parlab.testing;

/** A test left threads, pools or child processes running after it returned. */
public final class LeakError extends AssertionError {
    public LeakError(String description) {
        super(description);
    }
}
