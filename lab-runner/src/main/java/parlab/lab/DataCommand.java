package parlab.lab;

import java.io.IOException;
import java.text.DecimalFormat;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import parlab.onebrc.Generator;
import parlab.onebrc.Stations;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;

/**
 * {@code ./lab data}: a One Billion Row Challenge file of any size, the same bytes for the same seed, with its
 * expected result beside it ({@code x.txt} gets {@code x.out}) so that any reader can be checked against it.
 */
@Command(name = "data", description = {"Generate a One Billion Row Challenge file (station;temperature) of any size,",
        "the same for the same seed, and its expected result beside it (x.txt gets x.out)."})
final class DataCommand implements Callable<Integer> {
    @Option(names = "--rows", required = true, paramLabel = "<n>", converter = Count.class,
            description = "how many rows: 1000000, 1_000_000, 10k, 100M, 1B")
    long rows;

    @Option(names = "--out", required = true, paramLabel = "<file>", description = "where to write, e.g. data/measurements.txt")
    Path out;

    @Option(names = "--seed", paramLabel = "<s>", description = "random seed (default ${DEFAULT-VALUE})")
    long seed = 1;

    @Option(names = "--stations", paramLabel = "<k>", description = "distinct stations, 1 to 10000 (default ${DEFAULT-VALUE})")
    int stations = 413;

    @Option(names = "--threads", paramLabel = "<t>", description = "threads generating (default: the cores)")
    int threads = Runtime.getRuntime().availableProcessors();

    @Option(names = "--force", description = "replace the file if it exists")
    boolean force;

    /** Row counts as people write them: digits with optional underscores, or a k/M/B suffix. */
    static final class Count implements ITypeConverter<Long> {
        @Override
        public Long convert(String value) {
            String v = value.strip().replace("_", "").replace(",", "");
            long unit = 1;
            char last = v.isEmpty() ? ' ' : Character.toUpperCase(v.charAt(v.length() - 1));
            switch (last) {
                case 'K' -> unit = 1_000;
                case 'M' -> unit = 1_000_000;
                case 'B', 'G' -> unit = 1_000_000_000;
                default -> { }
            }
            String digits = unit == 1 ? v : v.substring(0, v.length() - 1);
            try {
                long n = Math.multiplyExact(Long.parseLong(digits), unit);
                if (n < 0) {
                    throw new NumberFormatException();
                }
                return n;
            } catch (NumberFormatException | ArithmeticException e) {
                throw new picocli.CommandLine.TypeConversionException("'" + value
                        + "' is not a row count (try 1000000, 10k, 100M or 1B)");
            }
        }
    }

    @Override
    public Integer call() throws IOException, InterruptedException {
        if (stations < 1 || stations > Stations.MAX_STATIONS) {
            throw new LabException("--stations must be between 1 and " + Stations.MAX_STATIONS + ", got " + stations);
        }
        if (threads < 1) {
            throw new LabException("--threads must be at least 1, got " + threads);
        }
        if (Files.exists(out) && !force) {
            throw new LabException(out + " exists; add --force to replace it, or choose another --out");
        }
        Path parent = out.toAbsolutePath().getParent();
        if (parent != null && Files.exists(parent) && !Files.isWritable(parent)) {
            throw new LabException("cannot write into " + parent + ": choose another --out");
        }
        long started = System.nanoTime();
        Generator generator = new Generator(rows, seed, stations);
        Generator.Result result;
        try {
            if (System.console() != null && System.console().isTerminal()) {
                try (ProgressBar bar = new ProgressBarBuilder().setTaskName("rows").setInitialMax(rows)
                        .setStyle(ProgressBarStyle.COLORFUL_UNICODE_BLOCK).setUpdateIntervalMillis(200)
                        .setUnit(" M", 1_000_000).showSpeed(new DecimalFormat("0.0")).continuousUpdate()
                        .setConsumer(new ConsoleProgressBarConsumer(System.err)).build()) {
                    result = generator.write(out, threads, bar::stepTo);
                }
            } else {
                result = generator.write(out, threads, written -> { });
            }
        } catch (IOException e) {
            Files.deleteIfExists(out); // a half-written file would look like a whole one to the next reader
            throw new LabException("could not write " + out + " (" + e.getClass().getSimpleName() + ": "
                    + e.getMessage() + "): check the folder exists, is writable and has room");
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        Main.OUT.printf(Locale.ROOT, "wrote %,d rows (%s) to %s in %.1f s (%.1f M rows/s)%n", result.rows(),
                size(result.bytes()), out, seconds, result.rows() / seconds / 1e6);
        Main.OUT.println("expected result: " + result.expected());
        return 0;
    }

    private static String size(long bytes) {
        return bytes >= 1L << 30 ? String.format(Locale.ROOT, "%.2f GB", bytes / 1e9)
                : String.format(Locale.ROOT, "%.1f MB", bytes / 1e6);
    }
}
