package parlab.capstone.ops;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.FileAppender;
import ch.qos.logback.core.OutputStreamAppender;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Set;
import org.slf4j.LoggerFactory;
import parlab.capstone.CapstoneException;
import parlab.capstone.ExitCode;

/**
 * Applies {@code --log-level} and {@code --log-file} to the logback configuration of {@link LogConfig} for one
 * run, and puts it back on {@link #close()} (tests run many programs in one JVM). With a log file, the lines that
 * went to stderr go to the file (appended) with the same pattern, and stderr keeps only the program's own one-line
 * messages and the progress bar.
 */
public final class LogSetup implements AutoCloseable {
    /** The levels {@code --log-level} takes. */
    public static final Set<String> LEVELS = Set.of("error", "warn", "info", "debug", "trace");

    private final Logger root;
    private final Logger program;
    private final Level levelBefore;
    private final Appender<ILoggingEvent> console;
    private final FileAppender<ILoggingEvent> file;

    private LogSetup(Logger root, Logger program, Level levelBefore, Appender<ILoggingEvent> console,
            FileAppender<ILoggingEvent> file) {
        this.root = root;
        this.program = program;
        this.levelBefore = levelBefore;
        this.console = console;
        this.file = file;
    }

    /** {@code level} ({@code null}: as configured) and {@code logFile} ({@code null}: stderr). */
    public static LogSetup apply(String level, Path logFile) {
        if (level != null && !LEVELS.contains(level.toLowerCase(Locale.ROOT))) {
            throw new CapstoneException(ExitCode.BAD_OPTION, "--log-level " + level + " is not one of " + LEVELS);
        }
        if (!(LoggerFactory.getILoggerFactory() instanceof LoggerContext context)) {
            return new LogSetup(null, null, null, null, null); // another SLF4J binding: leave it alone
        }
        Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        Logger program = context.getLogger("parlab.capstone");
        Level before = program.getLevel();
        if (level != null) {
            program.setLevel(Level.toLevel(level));
        }
        Appender<ILoggingEvent> console = root.getAppender(LogConfig.CONSOLE);
        FileAppender<ILoggingEvent> file = null;
        if (logFile != null) {
            PatternLayoutEncoder encoder = new PatternLayoutEncoder();
            encoder.setContext(context);
            encoder.setPattern(console instanceof OutputStreamAppender<ILoggingEvent> stream
                    && stream.getEncoder() instanceof PatternLayoutEncoder configured ? configured.getPattern()
                    : LogConfig.PATTERN);
            encoder.start();
            file = new FileAppender<>();
            file.setContext(context);
            file.setName("capstone-log-file");
            file.setFile(logFile.toAbsolutePath().toString());
            file.setAppend(true);
            file.setEncoder(encoder);
            file.start();
            if (!file.isStarted()) {
                program.setLevel(before);
                throw new CapstoneException(ExitCode.BAD_OPTION, "cannot write the log file " + logFile
                        + ": check --log-file (its folder must exist and be writable)");
            }
            root.addAppender(file);
            if (console != null) {
                root.detachAppender(console);
            }
        }
        return new LogSetup(root, program, before, logFile == null ? null : console, file);
    }

    @Override
    public void close() {
        if (root == null) {
            return;
        }
        program.setLevel(levelBefore);
        if (file != null) {
            root.detachAppender(file);
            file.stop();
            if (console != null) {
                root.addAppender(console);
            }
        }
    }
}
