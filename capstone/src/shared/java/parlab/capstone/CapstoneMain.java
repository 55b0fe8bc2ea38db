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
import java.util.function.Consumer;
import org.slf4j.LoggerFactory;
import parlab.capstone.ops.ConfigFile;
import parlab.capstone.ops.Fanout;
import parlab.capstone.ops.LogSetup;
import parlab.capstone.ops.OpsServer;
import parlab.capstone.ops.RunLog;
import parlab.capstone.ops.RunMetrics;
import parlab.capstone.ops.TerminalProgress;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

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
public final class CapstoneMain implements Callable<Integer> {
    // the options' values: set by the command line (spec()), read by call()
    private Path input;
    private String db;
    private Path dbFile;
    private int parallelism = Runtime.getRuntime().availableProcessors();
    private long chunkSize = Config.DEFAULT_CHUNK_SIZE;
    private Long maxInFlight;
    private boolean progress;
    private Boolean bar;
    private Integer httpPort;
    private String httpHost = "127.0.0.1";
    private boolean keepServing;
    private Path logFile;
    private String logLevel;
    private WorkerMode workers = WorkerMode.THREADS;
    private int maxCrashes = Supervision.DEFAULT.maxCrashes();
    private int minWorkers = 1;
    private double idleTimeout = Supervision.DEFAULT_IDLE_TIMEOUT.toSeconds();
    private long drainTimeout = 10;

    private Drain drain = new Drain();

    private PrintStream out = System.out;
    private PrintStream err = System.err;

    /**
     * The command line: picocli's programmatic API, each option bound to its field. The annotation form of the same
     * options took about 0.1 s more of every start (reading annotations through reflection, and the method handles
     * that reflective field access spins), on the start-up path of every run.
     */
    private CommandSpec spec() {
        CommandSpec spec = CommandSpec.wrapWithoutInspection(this).name("capstone");
        spec.versionProvider(() -> new String[] {"capstone, the 1BRC pipeline of Parallel Lab",
            "Java " + Runtime.version() + " (" + System.getProperty("java.vendor") + ") on "
                    + System.getProperty("os.name") + " " + System.getProperty("os.arch")});
        Map<String, String> exitCodes = new LinkedHashMap<>();
        for (ExitCode code : ExitCode.values()) {
            exitCodes.put(Integer.toString(code.code()), code.meaning());
        }
        spec.usageMessage().sortOptions(false).exitCodeListHeading("%nExit codes:%n").exitCodeList(exitCodes)
                .description("Aggregates a One Billion Row Challenge file (station;temperature) in parallel into"
                        + " min/mean/max per station, stored in DuckDB or PostgreSQL. A run that is killed resumes when"
                        + " started again.");
        add(spec, option("--config", "FILE", Path.class, null, v -> { }, // read before the rest: ConfigFile.named
                "TOML file of options (key = option without --); the command line wins"));
        add(spec, option("--input", "FILE", Path.class, input, v -> input = v, "the 1BRC file").required(true));
        add(spec, option("--db", "JDBC_URL", String.class, db, v -> db = v,
                "database URL: jdbc:duckdb:FILE or jdbc:postgresql://HOST:PORT/DB?user=U&password=P"
                        + " (default: jdbc:duckdb:<input>.duckdb)"));
        add(spec, option("--db-file", "FILE", Path.class, dbFile, v -> dbFile = v, "DuckDB file, instead of --db"));
        add(spec, option("--parallelism", "N", int.class, parallelism, v -> parallelism = v,
                "worker threads, or the most worker JVMs in process mode (default: the CPU count)"));
        add(spec, option("--chunk-size", "BYTES", long.class, chunkSize, v -> chunkSize = v,
                "target chunk size, e.g. 65536, 64k, 32m (default: 32m)").converters(new ByteSize()));
        add(spec, option("--max-in-flight", "BYTES", Long.class, maxInFlight, v -> maxInFlight = v,
                "bytes of chunks being worked on at most (default: 4 chunks per worker)").converters(new ByteSize()));
        add(spec, option("--progress", null, boolean.class, progress, v -> progress = v,
                "print a line on stderr for every committed chunk").negatable(true));
        add(spec, option("--bar", null, Boolean.class, bar, v -> bar = v,
                "a progress bar with ETA on stderr (default: when on a terminal, without --progress)").negatable(true));
        add(spec, option("--http-port", "PORT|off", Integer.class, httpPort, v -> httpPort = v,
                "serve /metrics, /health and the dashboard on this port (0: a free one; default: off)")
                .converters(new HttpPort()));
        add(spec, option("--http-host", "HOST", String.class, httpHost, v -> httpHost = v,
                "address to serve HTTP on (default: 127.0.0.1, this machine only)"));
        add(spec, option("--keep-serving", null, boolean.class, keepServing, v -> keepServing = v,
                "after the run, keep serving HTTP until Ctrl-C"));
        add(spec, option("--log-file", "FILE", Path.class, logFile, v -> logFile = v,
                "append the log to FILE instead of stderr"));
        add(spec, option("--log-level", "LEVEL", String.class, logLevel, v -> logLevel = v,
                "error, warn, info (default) or debug (a line per chunk)"));
        add(spec, option("--workers", "threads|processes", WorkerMode.class, workers, v -> workers = v,
                "parse on threads (default) or on a pool of up to --parallelism supervised worker JVMs"));
        add(spec, option("--max-crashes", "N", int.class, maxCrashes, v -> maxCrashes = v,
                "process mode: crashes of one chunk before it is quarantined and the run goes on without it"
                        + " (default: 3)"));
        add(spec, option("--min-workers", "N", int.class, minWorkers, v -> minWorkers = v,
                "process mode: worker JVMs kept however idle; the pool starts with N, grows to --parallelism while"
                        + " chunks wait for a worker and ends a worker idle for --idle-timeout beyond N (default: 1)"));
        add(spec, option("--idle-timeout", "SECONDS", double.class, idleTimeout, v -> idleTimeout = v,
                "process mode: idle time after which a worker JVM beyond --min-workers is ended (default: 5)"));
        add(spec, option("--drain-timeout", "SECONDS", long.class, drainTimeout, v -> drainTimeout = v,
                "on SIGTERM or Ctrl-C, how long the chunks in flight may take to commit before the program stops"
                        + " anyway (default: 10)"));
        add(spec, OptionSpec.builder("-h", "--help").type(boolean.class).usageHelp(true)
                .description("Show this help message and exit."));
        add(spec, OptionSpec.builder("-V", "--version").type(boolean.class).versionHelp(true)
                .description("Print version information and exit."));
        return spec;
    }

    /** The command's options, as the config file reads them ({@link ConfigFile#load}). */
    public static CommandSpec commandSpec() {
        return new CapstoneMain().spec();
    }

    private static void add(CommandSpec spec, OptionSpec.Builder option) {
        spec.addOption(option.build());
    }

    /** An option whose value goes to a field: {@code initial} is the field's value, shown in no help text. */
    private static <T> OptionSpec.Builder option(String name, String label, Class<T> type, T initial,
            Consumer<? super T> field, String description) {
        OptionSpec.Builder option = OptionSpec.builder(name).type(type).initialValue(initial).hasInitialValue(true)
                .description(description).setter(new CommandLine.Model.ISetter() {
                    @Override
                    @SuppressWarnings("unchecked")
                    public <V> V set(V value) {
                        field.accept((T) value);
                        return null;
                    }
                });
        return label == null ? option : option.paramLabel(label);
    }

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
     * Start-up work that needs nothing from the command line, done on the second core while picocli reads the
     * command line, on two threads: DuckDB's driver and native library (unless the command line names a PostgreSQL
     * database), and logback's set-up with the metrics library's classes. On one thread the run waited for the
     * metrics classes behind DuckDB's load, about 40 ms. What is not done yet when the run needs it is waited for
     * by the class loader, or done again.
     */
    private static void preload(String[] args) {
        if (Arrays.stream(args).noneMatch(arg -> arg.contains(Database.POSTGRESQL_PREFIX))) {
            Thread.ofPlatform().name("capstone-preload-db").daemon().start(Database::loadDuckDb);
        }
        Thread.ofPlatform().name("capstone-preload").daemon().start(() -> {
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
        CommandLine cli = new CommandLine(main.spec());
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
