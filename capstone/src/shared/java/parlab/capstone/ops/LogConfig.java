package parlab.capstone.ops;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.spi.ContextAwareBase;

/**
 * The capstone's log configuration, in code: INFO and up of the program's own loggers (a line at the start and one
 * at the end of a run, warnings), WARN and up of the libraries, on stderr. Each line names the thread and, when the
 * code set them in the MDC ({@link RunLog}), the worker and the chunk it was about. {@code --log-file} sends it all
 * to a file instead, {@code --log-level debug} shows a line per committed chunk ({@link LogSetup}).
 *
 * <p>Why in code and not in a {@code logback.xml}: logback finds this class through the {@link java.util.ServiceLoader}
 * ({@code META-INF/services}) before it looks for XML, and skips the XML parser, which took about 0.3 s of every
 * start of the program, a tenth of a whole 100-million-row run. {@code -Dlogback.configurationFile=FILE} still
 * replaces it with a file of one's own.
 */
public final class LogConfig extends ContextAwareBase implements Configurator {
    /** The appender {@link LogSetup} finds by name. */
    static final String CONSOLE = "STDERR";
    static final String PATTERN = "%d{HH:mm:ss.SSS} %-5level [%thread]%replace( worker=%X{worker}){' worker=$', ''}"
            + "%replace( chunk=%X{chunk}){' chunk=$', ''} %logger{0}: %msg%n";

    @Override
    public ExecutionStatus configure(LoggerContext context) {
        PatternLayoutEncoder encoder = new PatternLayoutEncoder();
        encoder.setContext(context);
        encoder.setPattern(PATTERN);
        encoder.start();
        ConsoleAppender<ILoggingEvent> console = new ConsoleAppender<>();
        console.setContext(context);
        console.setName(CONSOLE);
        console.setTarget("System.err");
        console.setEncoder(encoder);
        console.start();
        Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
        root.setLevel(Level.WARN);
        root.addAppender(console);
        context.getLogger("parlab.capstone").setLevel(Level.INFO);
        return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
    }
}
