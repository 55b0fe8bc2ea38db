package parlab.capstone;

/** The program's exit codes: one per kind of failure, so that scripts can tell them apart. */
public enum ExitCode {
    OK(0),
    /** A bug or an unexpected failure; the message says what happened. */
    INTERNAL(1),
    /** An unknown option, a missing or malformed value (picocli's usual code). */
    BAD_OPTION(2),
    INPUT_MISSING(3),
    INPUT_EMPTY(4),
    INPUT_UNREADABLE(5),
    DATABASE_UNREACHABLE(6),
    /** The database holds a run of another input (or of the same file cut another way). */
    DATABASE_OF_ANOTHER_RUN(7),
    /** The {@code --config} file has an unknown key, a value of the wrong type, or is not valid TOML. */
    BAD_CONFIG(8),
    /** The {@code --config} file does not exist or cannot be read. */
    CONFIG_MISSING(9),
    /** The HTTP port ({@code --http-port}) is taken by another program, or the host cannot be bound. */
    PORT_IN_USE(10),
    /**
     * The run finished, but chunks that crashed their worker JVM again and again were quarantined: the result and
     * the results table lack them (stderr names them). Running again retries them.
     */
    PARTIAL(11),
    /**
     * SIGTERM or Ctrl-C: the run stopped handing out chunks, committed those in flight (within
     * {@code --drain-timeout}) and closed the database. Run the same command again to resume.
     */
    INTERRUPTED(130);

    private final int code;

    ExitCode(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }
}
