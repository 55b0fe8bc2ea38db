package parlab.capstone;

/** A failure the user can act on: a one-line message that says what to do, and the exit code that goes with it. */
public final class CapstoneException extends RuntimeException {
    private final ExitCode exitCode;

    public CapstoneException(ExitCode exitCode, String message) {
        super(message);
        this.exitCode = exitCode;
    }

    public CapstoneException(ExitCode exitCode, String message, Throwable cause) {
        super(message, cause);
        this.exitCode = exitCode;
    }

    public ExitCode exitCode() {
        return exitCode;
    }
}
