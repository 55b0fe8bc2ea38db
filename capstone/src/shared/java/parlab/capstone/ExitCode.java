package parlab.capstone;

/** The program's exit codes: one per kind of failure, so that scripts can tell them apart. */
public enum ExitCode {
    OK(0, "done"),
    /** A bug or an unexpected failure; the message says what happened. */
    INTERNAL(1, "internal error"),
    /** An unknown option, a missing or malformed value (picocli's usual code). */
    BAD_OPTION(2, "bad option"),
    INPUT_MISSING(3, "input missing"),
    INPUT_EMPTY(4, "input empty"),
    INPUT_UNREADABLE(5, "input unreadable"),
    DATABASE_UNREACHABLE(6, "database unreachable"),
    /** The database holds a run of another input (or of the same file cut another way). */
    DATABASE_OF_ANOTHER_RUN(7, "database of another run"),
    /** The {@code --config} file has an unknown key, a value of the wrong type, or is not valid TOML. */
    BAD_CONFIG(8, "bad config file"),
    /** The {@code --config} file does not exist or cannot be read. */
    CONFIG_MISSING(9, "config file missing"),
    /** The HTTP port ({@code --http-port}) is taken by another program, or the host cannot be bound. */
    PORT_IN_USE(10, "HTTP port in use"),
    /**
     * The run finished, but chunks that crashed their worker JVM again and again were quarantined: the result and
     * the results table lack them (stderr names them). Running again retries them.
     */
    PARTIAL(11, "partial: chunks were quarantined (run again to retry them)"),
    /**
     * SIGTERM or Ctrl-C: the run stopped handing out chunks, committed those in flight (within
     * {@code --drain-timeout}) and closed the database. Run the same command again to resume.
     */
    INTERRUPTED(130, "interrupted by SIGTERM or Ctrl-C (run again to resume)");

    private final int code;
    private final String meaning;

    ExitCode(int code, String meaning) {
        this.code = code;
        this.meaning = meaning;
    }

    public int code() {
        return code;
    }

    /** What the code means, for {@code --help}. */
    public String meaning() {
        return meaning;
    }
}
