package parlab.capstone;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.duckdb.DuckDBConnection;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The pipeline as a program: {@code capstone --input FILE [--db URL | --db-file FILE] [--parallelism N]
 * [--chunk-size BYTES] [--max-in-flight BYTES] [--progress]}. Prints the result in the challenge's format on
 * stdout; with {@code --progress}, one line per committed chunk on stderr ({@code committed chunk 7 (8/40)}).
 * Run it again on the same database after a crash or a kill and it resumes where the last commit left off.
 * Every failure the user can fix is one line on stderr and its own exit code ({@link ExitCode}).
 */
@Command(name = "capstone", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Aggregates a One Billion Row Challenge file (station;temperature) in parallel into min/mean/max"
                + " per station, stored in DuckDB. A run that is killed resumes when started again.")
public final class CapstoneMain implements Callable<Integer> {
    @Option(names = "--input", required = true, paramLabel = "FILE", description = "the 1BRC file")
    Path input;

    @Option(names = "--db", paramLabel = "JDBC_URL",
            description = "database URL (default: jdbc:duckdb:<input>.duckdb)")
    String db;

    @Option(names = "--db-file", paramLabel = "FILE", description = "DuckDB file, instead of --db")
    Path dbFile;

    @Option(names = "--parallelism", paramLabel = "N", description = "worker threads (default: the CPU count)")
    int parallelism = Runtime.getRuntime().availableProcessors();

    @Option(names = "--chunk-size", paramLabel = "BYTES", converter = ByteSize.class,
            description = "target chunk size, e.g. 65536, 64k, 32m (default: 32m)")
    long chunkSize = Config.DEFAULT_CHUNK_SIZE;

    @Option(names = "--max-in-flight", paramLabel = "BYTES", converter = ByteSize.class,
            description = "bytes of chunks being worked on at most (default: 2 chunks per worker)")
    Long maxInFlight;

    @Option(names = "--progress", description = "print a line on stderr for every committed chunk")
    boolean progress;

    private PrintStream out = System.out;
    private PrintStream err = System.err;

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    /** Runs the program and returns its exit code (tests call this; {@link #main} exits with it). */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        CapstoneMain main = new CapstoneMain();
        main.out = out;
        main.err = err;
        CommandLine cli = new CommandLine(main);
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        cli.setParameterExceptionHandler((e, a) -> {
            err.println("capstone: " + e.getMessage() + " (see --help)");
            return ExitCode.BAD_OPTION.code();
        });
        cli.setExecutionExceptionHandler((e, c, p) -> {
            if (e instanceof CapstoneException failure) {
                err.println("capstone: " + failure.getMessage());
                return failure.exitCode().code();
            }
            for (Throwable t = e; t != null; t = t.getCause()) {
                if (t instanceof UnsupportedOperationException todo && todo.getMessage() != null
                        && todo.getMessage().startsWith("TODO")) {
                    err.println("capstone: not written yet (" + todo.getMessage() + "): ./lab check capstone-core"
                            + " shows what is missing; ./lab run --solution capstone runs the reference");
                    return ExitCode.INTERNAL.code();
                }
            }
            err.println("capstone: internal error: " + e);
            return ExitCode.INTERNAL.code();
        });
        return cli.execute(args);
    }

    @Override
    public Integer call() throws Exception {
        if (db != null && dbFile != null) {
            throw new CapstoneException(ExitCode.BAD_OPTION, "pass --db or --db-file, not both");
        }
        if (parallelism < 1) {
            throw new CapstoneException(ExitCode.BAD_OPTION, "--parallelism must be at least 1, got " + parallelism);
        }
        if (maxInFlight != null && maxInFlight < 1) {
            throw new CapstoneException(ExitCode.BAD_OPTION, "--max-in-flight must be at least 1 byte");
        }
        InputFile file = InputFile.check(input);
        String url = db != null ? db : dbFile != null ? "jdbc:duckdb:" + dbFile.toAbsolutePath()
                : Config.defaultDb(input);
        Config config = maxInFlight == null ? Config.of(file.path(), url, parallelism, chunkSize)
                : new Config(file.path(), url, parallelism, chunkSize, maxInFlight);
        WarmUp warmUp = WarmUp.start(file.path());
        try (DuckDBConnection connection = Database.open(url)) {
            Database.claim(connection, file, chunkSize);
            warmUp.stop();
            Progress listener = progress
                    ? (chunk, done, total) -> err.println("committed chunk " + chunk.id() + " (" + done + "/" + total
                            + ")")
                    : Progress.NONE;
            RunReport report = Runner.run(config, connection, listener);
            out.println(report.formatted());
            if (report.rejects() > 0) {
                err.println("capstone: " + report.rejects() + " bad line(s) skipped; see the table "
                        + Database.REJECTS + " in " + url);
            }
            out.flush();
            return ExitCode.OK.code();
        } finally {
            warmUp.stop();
        }
    }

    /** {@code 4096}, {@code 64k}, {@code 32m}, {@code 1g} (binary units). */
    static final class ByteSize implements CommandLine.ITypeConverter<Long> {
        @Override
        public Long convert(String value) {
            String v = value.strip().toLowerCase(Locale.ROOT);
            long unit = 1;
            if (v.endsWith("k") || v.endsWith("m") || v.endsWith("g")) {
                unit = switch (v.charAt(v.length() - 1)) {
                    case 'k' -> 1L << 10;
                    case 'm' -> 1L << 20;
                    default -> 1L << 30;
                };
                v = v.substring(0, v.length() - 1);
            }
            long n;
            try {
                n = Long.parseLong(v);
            } catch (NumberFormatException e) {
                throw new CommandLine.TypeConversionException("'" + value + "' is not a byte size (e.g. 65536, 64k, 32m)");
            }
            if (n < 1) {
                throw new CommandLine.TypeConversionException("'" + value + "' must be at least 1 byte");
            }
            return Math.multiplyExact(n, unit);
        }
    }
}
