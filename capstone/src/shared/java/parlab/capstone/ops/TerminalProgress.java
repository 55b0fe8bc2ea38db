package parlab.capstone.ops;

import java.io.PrintStream;
import java.time.Duration;
import java.util.Locale;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import parlab.capstone.Chunk;
import parlab.capstone.ChunkResult;
import parlab.capstone.Progress;

/**
 * A progress bar with ETA on a terminal (me.tongfei's progressbar), counting committed chunks of the input, with the
 * run's throughput beside it: {@code capstone 42% │███████▍   │ 17/40 (0:00:03 / 0:00:04) 52.1 M rows/s}.
 *
 * <p>The number of chunks is known at the first commit, so the bar appears then; chunks an earlier run committed
 * count as done from the start and do not speed up the ETA. Shown when stderr is a terminal and neither
 * {@code --progress} (one line per chunk, for logs and scripts) nor {@code --no-bar} is given. {@link #close()}
 * draws the bar a last time and stops refreshing it (the library refreshes every bar from one daemon thread of its
 * own, {@code ProgressBar}, kept for the JVM's life).
 */
public final class TerminalProgress implements Progress, AutoCloseable {
    private final PrintStream out;
    private final long startedAt = System.nanoTime();
    private ProgressBar bar;
    private long rows;

    public TerminalProgress(PrintStream out) {
        this.out = out;
    }

    /** Whether this process talks to a terminal (then a bar beats lines). */
    public static boolean terminal() {
        return System.console() != null && System.console().isTerminal();
    }

    @Override
    public void committed(Chunk chunk, int done, int total) {
        if (bar == null) {
            bar = new ProgressBarBuilder().setTaskName("capstone").setInitialMax(total)
                    .startsFrom(done - 1, Duration.ofNanos(System.nanoTime() - startedAt))
                    .setStyle(ProgressBarStyle.COLORFUL_UNICODE_BLOCK).setUpdateIntervalMillis(200)
                    .setUnit(" chunks", 1).setConsumer(new ConsoleProgressBarConsumer(out)).build();
        }
        double seconds = Math.max(1e-3, (System.nanoTime() - startedAt) / 1e9);
        bar.setExtraMessage(String.format(Locale.ROOT, "%.1f M rows/s", rows / seconds / 1e6));
        bar.stepTo(done);
    }

    @Override
    public void committed(ChunkResult result, int done, int total) {
        rows += result.rows();
        committed(result.chunk(), done, total);
    }

    @Override
    public void close() {
        if (bar != null) {
            bar.close();
            bar = null;
        }
    }
}
