package parlab.capstone;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.slf4j.LoggerFactory;
import parlab.capstone.ops.ConfigFile;
import parlab.capstone.ops.Fanout;
import parlab.capstone.ops.LogSetup;
import parlab.capstone.ops.OpsServer;
import parlab.capstone.ops.RunLog;
import parlab.capstone.ops.RunMetrics;
import parlab.capstone.ops.TerminalProgress;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The pipeline as a program: {@code capstone --input FILE [--db URL | --db-file FILE] [--parallelism N]
 * [--chunk-size BYTES] [--max-in-flight BYTES] [--progress] [--workers threads|processes] [--max-crashes N]
 * [--drain-timeout SECONDS]}. Prints the result in the challenge's format on
 * stdout; with {@code --progress}, one line per committed chunk on stderr ({@code committed chunk 7 (8/40)}).
 * Run it again on the same database after a crash or a kill and it resumes where the last commit left off.
 * Every failure the user can fix is one line on stderr and its own exit code ({@link ExitCode}).
 *
 * <p>Operations ({@link parlab.capstone.ops}): {@code --config FILE} reads every option from a TOML file (key =
 * option without {@code --}; the command line wins; sample: {@code capstone/capstone.toml.example});
 * {@code --http-port N} serves /metrics, /health and a live dashboard for the run's length (0: a free port; the URL
 * goes to stderr); on a terminal a progress bar with ETA; logs on stderr or in {@code --log-file}.
 */
@Command(name = "capstone", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Aggregates a One Billion Row Challenge file (station;temperature) in parallel into min/mean/max"
                + " per station, stored in DuckDB or PostgreSQL. A run that is killed resumes when started again.",
        exitCodeListHeading = "%nExit codes:%n")
public final class CapstoneMain implements Callable<Integer> {
    @Option(names = "--config", paramLabel = "FILE",
            description = "TOML file of options (key = option without --); the command line wins")
    Path config;

    @Option(names = "--input", required = true, paramLabel = "FILE", description = "the 1BRC file")
    Path input;

    @Option(names = "--db", paramLabel = "JDBC_URL",
            description = "database URL: jdbc:duckdb:FILE or jdbc:postgresql://HOST:PORT/DB?user=U&password=P"
                    + " (default: jdbc:duckdb:<input>.duckdb)")
    String db;

    @Option(names = "--db-file", paramLabel = "FILE", description = "DuckDB file, instead of --db")
    Path dbFile;

    @Option(names = "--parallelism", paramLabel = "N", description = "worker threads, or the most worker JVMs in process mode (default: the CPU count)")
    int parallelism = Runtime.getRuntime().availableProcessors();

    @Option(names = "--chunk-size", paramLabel = "BYTES", converter = ByteSize.class,
            description = "target chunk size, e.g. 65536, 64k, 32m (default: 32m)")
    long chunkSize = Config.DEFAULT_CHUNK_SIZE;

    @Option(names = "--max-in-flight", paramLabel = "BYTES", converter = ByteSize.class,
            description = "bytes of chunks being worked on at most (default: 2 chunks per worker)")
    Long maxInFlight;

    @Option(names = "--progress", negatable = true, description = "print a line on stderr for every committed chunk")
    boolean progress;

    @Option(names = "--bar", negatable = true,
            description = "a progress bar with ETA on stderr (default: when on a terminal, without --progress)")
    Boolean bar;

    @Option(names = "--http-port", paramLabel = "PORT|off", converter = HttpPort.class,
            description = "serve /metrics, /health and the dashboard on this port (0: a free one; default: off)")
    Integer httpPort;

    @Option(names = "--http-host", paramLabel = "HOST",
            description = "address to serve HTTP on (default: 127.0.0.1, this machine only)")
    String httpHost = "127.0.0.1";

    @Option(names = "--keep-serving", description = "after the run, keep serving HTTP until Ctrl-C")
    boolean keepServing;

    @Option(names = "--log-file", paramLabel = "FILE", description = "append the log to FILE instead of stderr")
    Path logFile;

    @Option(names = "--log-level", paramLabel = "LEVEL",
            description = "error, warn, info (default) or debug (a line per chunk)")
    String logLevel;

    @Option(names = "--workers", paramLabel = "threads|processes",
            description = "parse on threads (default) or on a pool of up to --parallelism supervised worker JVMs")
    WorkerMode workers = WorkerMode.THREADS;

    @Option(names = "--max-crashes", paramLabel = "N", description = "process mode: crashes of one chunk before it is"
            + " quarantined and the run goes on without it (default: 3)")
    int maxCrashes = Supervision.DEFAULT.maxCrashes();

    @Option(names = "--min-workers", paramLabel = "N", description = "process mode: worker JVMs kept however idle;"
            + " the pool starts with N, grows to --parallelism while chunks wait for a worker and ends a worker idle"
            + " for --idle-timeout beyond N (default: 1)")
    int minWorkers = 1;

    @Option(names = "--idle-timeout", paramLabel = "SECONDS", description = "process mode: idle time after which a"
            + " worker JVM beyond --min-workers is ended (default: 5)")
    double idleTimeout = Supervision.DEFAULT_IDLE_TIMEOUT.toSeconds();

    @Option(names = "--drain-timeout", paramLabel = "SECONDS", description = "on SIGTERM or Ctrl-C, how long the"
            + " chunks in flight may take to commit before the program stops anyway (default: 10)")
    long drainTimeout = 10;

    private Drain drain = new Drain();

    private PrintStream out = System.out;
    private PrintStream err = System.err;

    /**
     * The program. {@code SIGTERM} and Ctrl-C drain the run ({@link Drain}): it exits with
     * {@link ExitCode#INTERRUPTED} once the chunks in flight are committed and the database is closed.
     */
    public static void main(String[] args) {
        Drain drain = Drain.onShutdown(System.err);
        preload(args);
        int code = run(args, System.out, System.err, drain);
        drain.ended(code);
        System.exit(code);
    }

    /**
     * Start-up work that needs nothing from the command line, done on a second core while picocli builds its model
     * of the options (about 0.2 s on one core): DuckDB's driver and native library (unless the command line names
     * a PostgreSQL database), logback's set-up, the metrics library's classes. What is not done yet when the run
     * needs it is waited for by the class loader, or done again.
     */
    private static void preload(String[] args) {
        boolean duckDb = Arrays.stream(args).noneMatch(arg -> arg.contains(Database.POSTGRESQL_PREFIX));
        Thread.ofPlatform().name("capstone-preload").daemon().start(() -> {
            if (duckDb) {
                Database.loadDuckDb();
            }
            LoggerFactory.getILoggerFactory();
            new RunMetrics("", 0, 1);
        });
    }

    /** Runs the program and returns its exit code (tests call this; {@link #main} exits with it). */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        return run(args, out, err, new Drain());
    }

    /** The same, stopping early when {@code drain} is requested. */
    public static int run(String[] args, PrintStream out, PrintStream err, Drain drain) {
        CapstoneMain main = new CapstoneMain();
        main.out = out;
        main.err = err;
        main.drain = drain;
        CommandLine cli = new CommandLine(main);
        Map<String, String> exitCodes = new LinkedHashMap<>();
        for (ExitCode code : ExitCode.values()) {
            exitCodes.put(Integer.toString(code.code()), code.meaning());
        }
        cli.getCommandSpec().usageMessage().exitCodeList(exitCodes);
        cli.setCaseInsensitiveEnumValuesAllowed(true);
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        Path configFile = ConfigFile.named(Arrays.asList(args));
        if (configFile != null) {
            try {
                ConfigFile file = ConfigFile.load(configFile, cli.getCommandSpec());
                cli.setDefaultValueProvider(file);
                cli.setExecutionStrategy(parsed -> {
                    file.applyFlags(parsed);
                    return new CommandLine.RunLast().execute(parsed);
                });
            } catch (CapstoneException e) {
                err.println("capstone: " + e.getMessage());
                return e.exitCode().code();
            }
        }
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
                    String milestone = todo.getStackTrace().length > 0
                            && todo.getStackTrace()[0].getClassName().endsWith("Supervisor")
                            ? "capstone-workers" : "capstone-core";
                    err.println("capstone: not written yet (" + todo.getMessage() + "): ./lab check " + milestone
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
        if (maxCrashes < 1) {
            throw new CapstoneException(ExitCode.BAD_OPTION, "--max-crashes must be at least 1, got " + maxCrashes);
        }
        if (minWorkers < 1 || minWorkers > parallelism) {
            throw new CapstoneException(ExitCode.BAD_OPTION, "--min-workers must be from 1 to --parallelism ("
                    + parallelism + "), got " + minWorkers);
        }
        if (!(idleTimeout >= 0)) {
            throw new CapstoneException(ExitCode.BAD_OPTION, "--idle-timeout must be 0 or more seconds");
        }
        if (drainTimeout < 0) {
            throw new CapstoneException(ExitCode.BAD_OPTION, "--drain-timeout must be 0 or more seconds");
        }
        drain.deadline(Duration.ofSeconds(drainTimeout));
        InputFile file = InputFile.check(input);
        String url = db != null ? db : dbFile != null ? "jdbc:duckdb:" + dbFile.toAbsolutePath()
                : Config.defaultDb(input);
        Config config = maxInFlight == null ? Config.of(file.path(), url, parallelism, chunkSize)
                : new Config(file.path(), url, parallelism, chunkSize, maxInFlight);
        RunMetrics metrics = new RunMetrics(file.path().getFileName().toString(), file.size(), parallelism);
        boolean showBar = bar != null ? bar : !progress && TerminalProgress.terminal();
        // threads: parse the first megabytes while the database opens (the workers of process mode warm up alone)
        WarmUp warmUp = workers == WorkerMode.THREADS ? WarmUp.start(file.path()) : null;
        try (LogSetup logs = LogSetup.apply(logLevel, logFile);
                OpsServer server = httpPort == null || httpPort < 0 ? null : OpsServer.start(httpHost, httpPort,
                        metrics);
                Connection connection = Database.open(url);
                TerminalProgress terminal = showBar ? new TerminalProgress(err) : null) {
            if (server != null) {
                err.println("capstone: dashboard " + server.uri() + " (also " + server.uri().resolve("metrics")
                        + " and " + server.uri().resolve("health") + ")");
            }
            Database.claim(connection, file, chunkSize);
            if (warmUp != null) {
                warmUp.stop();
            }
            Progress lines = progress
                    ? (chunk, done, total) -> err.println("committed chunk " + chunk.id() + " (" + done + "/" + total
                            + ")")
                    : null;
            Progress listener = Fanout.of(lines, terminal, metrics, new RunLog());
            if (workers == WorkerMode.THREADS) {
                listener.workersAlive(parallelism); // the pool's size for the whole run (the supervisor tells its own)
            }
            var log = LoggerFactory.getLogger(CapstoneMain.class);
            log.info("run of {} ({} bytes) into {}: {} {}, chunks of {} bytes", file.path(), file.size(),
                    Database.redacted(url), parallelism, workers.name().toLowerCase(Locale.ROOT), chunkSize);
            long started = System.nanoTime();
            RunReport report;
            try {
                Supervision supervision = Supervision.DEFAULT.withMaxCrashes(maxCrashes).withPool(minWorkers,
                        Duration.ofNanos(Math.round(idleTimeout * 1e9)));
                report = Runner.run(config.withWorkers(workers, supervision), connection, listener, drain);
            } catch (Exception | Error e) {
                metrics.failed(e);
                throw e;
            }
            metrics.finished(report);
            if (terminal != null) {
                terminal.close();
            }
            log.info("done: {} rows, {} rejects, {} chunks ({} committed before) in {} ms", report.rows(),
                    report.rejects(), report.chunks(), report.skipped(), (System.nanoTime() - started) / 1_000_000);
            if (report.unfinished() > 0) {
                err.println("capstone: interrupted with " + report.unfinished() + " of " + report.chunks()
                        + " chunks left (those in flight were committed); run the same command again to resume");
                return ExitCode.INTERRUPTED.code();
            }
            out.println(report.formatted());
            if (report.rejects() > 0) {
                err.println("capstone: " + report.rejects() + " bad line(s) skipped; see the table "
                        + Database.REJECTS + " in " + Database.redacted(url));
            }
            out.flush();
            if (!report.quarantined().isEmpty()) {
                for (Chunk chunk : report.quarantined()) {
                    err.println("capstone: warning: chunk " + chunk.id() + " (bytes " + chunk.start() + " to "
                            + chunk.end() + ") crashed " + maxCrashes + " worker JVMs and was quarantined");
                }
                err.println("capstone: the result is PARTIAL: it lacks " + report.quarantined().size()
                        + " quarantined chunk(s); run the same command again to retry them");
                return ExitCode.PARTIAL.code();
            }
            if (keepServing && server != null) {
                err.println("capstone: finished; still serving " + server.uri() + " until Ctrl-C");
                new CountDownLatch(1).await();
            }
            return ExitCode.OK.code();
        } finally {
            if (warmUp != null) {
                warmUp.stop();
            }
        }
    }

    /** A port number, or {@code off} (-1). */
    static final class HttpPort implements CommandLine.ITypeConverter<Integer> {
        @Override
        public Integer convert(String value) {
            if (value.strip().equalsIgnoreCase("off")) {
                return -1;
            }
            try {
                int port = Integer.parseInt(value.strip());
                if (port >= 0 && port <= 65535) {
                    return port;
                }
            } catch (NumberFormatException e) {
                // said below
            }
            throw new CommandLine.TypeConversionException("'" + value + "' is not a port (0 to 65535, 0: a free one)"
                    + " or off");
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
