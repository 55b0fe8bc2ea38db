package parlab.onebrc;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.LongConsumer;

/**
 * Writes a One Billion Row Challenge file: {@code rows} lines {@code <station>;<temperature>}, temperatures with one
 * fractional digit in [-99.9, 99.9], drawn around each station's mean. The file depends only on the seed, the row
 * count and the station count, never on the number of threads: the rows come in blocks of {@link #BLOCK_ROWS}, block
 * {@code b} draws from its own random stream, and blocks are generated in parallel but written in order, at most a
 * few per thread in memory at once. Beside the file it writes the expected result ({@code measurements.txt} gets
 * {@code measurements.out}), computed exactly from the same draws.
 */
public final class Generator {
    public static final int BLOCK_ROWS = 1 << 16;

    /** What was written. */
    public record Result(long rows, long bytes, Path file, Path expected) {
    }

    private record Block(byte[] bytes, int length, int rows, int[] min, int[] max, long[] sum, int[] count) {
    }

    private final long rows;
    private final long seed;
    private final Stations stations;

    public Generator(long rows, long seed, int stations) {
        if (rows < 0) {
            throw new IllegalArgumentException("rows must not be negative, got " + rows);
        }
        this.rows = rows;
        this.seed = seed;
        this.stations = Stations.generate(stations, seed);
    }

    /** The expected result's file beside {@code file}: {@code x.txt} gives {@code x.out}, anything else {@code +.out}. */
    public static Path expectedFile(Path file) {
        String name = file.getFileName().toString();
        String base = name.endsWith(".txt") ? name.substring(0, name.length() - 4) : name;
        return file.resolveSibling(base + ".out");
    }

    /**
     * Writes the file (replacing it) and its expected result, with {@code threads} generating blocks.
     *
     * @param progress told the number of rows written so far after every block
     */
    public Result write(Path file, int threads, LongConsumer progress) throws IOException, InterruptedException {
        long blocks = (rows + BLOCK_ROWS - 1) / BLOCK_ROWS;
        int k = stations.size();
        int[] min = new int[k];
        int[] max = new int[k];
        long[] sum = new long[k];
        long[] count = new long[k];
        Arrays.fill(min, Integer.MAX_VALUE);
        Arrays.fill(max, Integer.MIN_VALUE);
        long written = 0;
        long bytes = 0;
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        try (FileChannel out = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING);
                ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, threads))) {
            Deque<Future<Block>> window = new ArrayDeque<>();
            long next = 0;
            try {
                while (next < blocks || !window.isEmpty()) {
                    while (next < blocks && window.size() < 2 * Math.max(1, threads)) {
                        long b = next++;
                        window.add(pool.submit(() -> block(b)));
                    }
                    Block block = window.removeFirst().get();
                    ByteBuffer buffer = ByteBuffer.wrap(block.bytes(), 0, block.length());
                    while (buffer.hasRemaining()) {
                        out.write(buffer);
                    }
                    for (int s = 0; s < k; s++) {
                        if (block.count()[s] > 0) {
                            min[s] = Math.min(min[s], block.min()[s]);
                            max[s] = Math.max(max[s], block.max()[s]);
                            sum[s] += block.sum()[s];
                            count[s] += block.count()[s];
                        }
                    }
                    written += block.rows();
                    bytes += block.length();
                    progress.accept(written);
                }
            } catch (ExecutionException e) {
                throw new IllegalStateException("generating a block failed", e.getCause());
            } finally {
                window.forEach(f -> f.cancel(true));
            }
        }
        Path expected = expectedFile(file);
        Files.writeString(expected, expected(min, max, sum, count) + "\n");
        return new Result(written, bytes, file, expected);
    }

    private String expected(int[] min, int[] max, long[] sum, long[] count) {
        Map<String, Stats> result = new HashMap<>();
        for (int s = 0; s < stations.size(); s++) {
            if (count[s] > 0) {
                result.put(stations.name(s), Stats.of(min[s], max[s], sum[s], count[s]));
            }
        }
        return Oracle.format(result);
    }

    /** Block {@code b}: its rows, drawn from a stream that only the seed and {@code b} decide. */
    private Block block(long b) {
        int n = (int) Math.min(BLOCK_ROWS, rows - b * BLOCK_ROWS);
        SplittableRandom random = new SplittableRandom(seed * 0x9E3779B97F4A7C15L + b);
        int k = stations.size();
        int[] min = new int[k];
        int[] max = new int[k];
        long[] sum = new long[k];
        int[] count = new int[k];
        byte[] bytes = new byte[n * 24];
        int at = 0;
        for (int i = 0; i < n; i++) {
            int s = random.nextInt(k);
            int t = (int) Math.max(-999, Math.min(999,
                    stations.meanTenths(s) + Math.round(random.nextGaussian() * 100)));
            byte[] name = stations.utf8(s);
            if (at + name.length + 8 > bytes.length) {
                bytes = Arrays.copyOf(bytes, bytes.length * 2 + name.length + 8);
            }
            System.arraycopy(name, 0, bytes, at, name.length);
            at += name.length;
            bytes[at++] = ';';
            int abs = t;
            if (t < 0) {
                bytes[at++] = '-';
                abs = -t;
            }
            if (abs >= 100) {
                bytes[at++] = (byte) ('0' + abs / 100);
            }
            bytes[at++] = (byte) ('0' + abs / 10 % 10);
            bytes[at++] = '.';
            bytes[at++] = (byte) ('0' + abs % 10);
            bytes[at++] = '\n';
            if (count[s]++ == 0) {
                min[s] = t;
                max[s] = t;
            } else {
                min[s] = Math.min(min[s], t);
                max[s] = Math.max(max[s], t);
            }
            sum[s] += t;
        }
        return new Block(bytes, at, n, min, max, sum, count);
    }

    public Stations stations() {
        return stations;
    }
}
