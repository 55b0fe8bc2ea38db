package parlab.stage3.shutdown;

/**
 * How a {@link GracefulService} shutdown ended, and the exit code the process reports for it. These codes are the
 * service's documented contract with whoever stops it (a container runtime, systemd, a supervisor, a test).
 */
public enum ShutdownOutcome {
    /** Intake stopped, every accepted item was written and the output flushed: exit code 0. */
    DRAINED(0),
    /**
     * The deadline passed with accepted items still unfinished: what was finished is flushed, the rest is lost, and
     * the process exits with code 4 so that its supervisor knows ("not a crash, but not clean either"; not 3,
     * which the JVM itself exits with on -XX:+ExitOnOutOfMemoryError).
     */
    DEADLINE_PASSED(4);

    private final int exitCode;

    ShutdownOutcome(int exitCode) {
        this.exitCode = exitCode;
    }

    public int exitCode() {
        return exitCode;
    }
}
