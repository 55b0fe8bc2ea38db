package parlab.stage2.numeric;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.Future;
import java.util.concurrent.RecursiveTask;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;

/**
 * s2e09 · CPU-bound numerical tasks (reference solution).
 *
 * <p>How the reference works:
 * <ul>
 *   <li>{@link #estimatePi}: the streams are fixed before anything runs. The calling thread splits one
 *       {@link SplittableRandom} per task off {@code new SplittableRandom(seed)}, in task order, into an array;
 *       a {@link RecursiveTask} over the task indices then counts hits in the pool, and the partial counts are
 *       exact {@code long}s added in a fixed tree. Which thread runs which task changes nothing: every task
 *       draws the same numbers and integer addition does not care about order.
 *   <li>{@link #renderRows}: {@code pool.getParallelism()} identical workers share one {@link AtomicInteger}
 *       row counter; each takes the next row with {@code getAndIncrement()} until the rows run out. A worker
 *       stuck in an expensive row simply takes fewer rows. The image array is filled by disjoint writes and
 *       read after every future's {@code get()}, which is a happens-before edge.
 *   <li>{@link #multiply}: {@link RowBlock} halves its row range until it is at most {@link #THRESHOLD} rows,
 *       forks one half, computes the other itself, then joins, and concatenates the two row blocks.
 * </ul>
 *
 * <p>Other ways: Mandelbrot rows could also be one {@code RecursiveAction} per row (or per small chunk) handed
 * to {@code invokeAll}: work stealing then balances the load, at the price of one task object per row. A chunk
 * of 2–8 rows per {@code getAndIncrement()} cuts the counter traffic, but too large a chunk brings the
 * imbalance back. For Monte Carlo, a split tree inside the recursion ({@code left = random.split()}) avoids
 * the up-front array, and is just as deterministic as long as the tree's shape depends on the task count only.
 */
public final class NumericTasks {
    /** Monte Carlo: samples per task (the last task takes what is left). */
    public static final int TASK_SAMPLES = 1 << 16;
    /** Matrix multiply: a block of at most this many rows is computed without splitting further. */
    public static final int THRESHOLD = 16;

    private NumericTasks() {
    }

    // ---------------------------------------------------------------------------------------------------------
    // Monte Carlo π

    /**
     * An estimate of π from {@code samples} random points in the unit square: 4 × (points inside the quarter
     * circle) / samples. Task {@code k} covers the samples {@code [k * TASK_SAMPLES, min(samples, (k + 1) *
     * TASK_SAMPLES))} and draws them from the {@code k}-th stream split off {@code new SplittableRandom(seed)}.
     */
    public static double estimatePi(long samples, long seed, ForkJoinPool pool) {
        if (samples < 1) {
            throw new IllegalArgumentException("samples must be at least 1, got " + samples);
        }
        Objects.requireNonNull(pool, "pool");
        int tasks = Math.toIntExact((samples + TASK_SAMPLES - 1) / TASK_SAMPLES);
        SplittableRandom root = new SplittableRandom(seed);
        SplittableRandom[] streams = new SplittableRandom[tasks];
        for (int k = 0; k < tasks; k++) {
            streams[k] = root.split();
        }
        long hits = pool.invoke(new HitCount(streams, samples, 0, tasks));
        return 4.0 * hits / samples;
    }

    /** Counts the hits of the tasks {@code [from, to)}, splitting the range until a task or two are left. */
    private static final class HitCount extends RecursiveTask<Long> {
        private final SplittableRandom[] streams;
        private final long samples;
        private final int from;
        private final int to;

        HitCount(SplittableRandom[] streams, long samples, int from, int to) {
            this.streams = streams;
            this.samples = samples;
            this.from = from;
            this.to = to;
        }

        @Override
        protected Long compute() {
            if (to - from <= 2) {
                long hits = 0;
                for (int k = from; k < to; k++) {
                    long start = (long) k * TASK_SAMPLES;
                    hits += countHits(streams[k], Math.min(TASK_SAMPLES, samples - start));
                }
                return hits;
            }
            int mid = (from + to) >>> 1;
            HitCount left = new HitCount(streams, samples, from, mid);
            left.fork();
            long right = new HitCount(streams, samples, mid, to).compute();
            return left.join() + right;
        }
    }

    /** How many of {@code samples} points drawn from {@code random} (x, then y) fall inside the unit circle. */
    public static long countHits(SplittableRandom random, long samples) {
        long hits = 0;
        for (long i = 0; i < samples; i++) {
            double x = random.nextDouble();
            double y = random.nextDouble();
            if (x * x + y * y < 1.0) {
                hits++;
            }
        }
        return hits;
    }

    // ---------------------------------------------------------------------------------------------------------
    // Mandelbrot rows

    /**
     * A rectangle of the complex plane rendered as {@code width × height} pixels: pixel {@code (x, y)} is the
     * point {@code minRe + (maxRe - minRe) * x / width} + i·({@code minIm + (maxIm - minIm) * y / height}), and its
     * value is the number of iterations of z → z² + c before |z| > 2, at most {@code maxIterations}.
     */
    public record View(double minRe, double minIm, double maxRe, double maxIm, int width, int height,
            int maxIterations) {
        public View {
            if (width < 1 || height < 1 || maxIterations < 1) {
                throw new IllegalArgumentException("width, height and maxIterations must be at least 1");
            }
        }

        /** The whole set. */
        public static View whole(int width, int height, int maxIterations) {
            return new View(-2.0, -1.25, 0.5, 1.25, width, height, maxIterations);
        }

        /**
         * The upper half of the set, from the real axis (row 0) upwards: the first rows cross the set's wide body
         * and cost {@code maxIterations} per pixel, the last rows escape in a few iterations.
         */
        public static View imbalanced(int width, int height, int maxIterations) {
            return new View(-2.0, 0.0, 0.5, 1.25, width, height, maxIterations);
        }

        /** The iteration counts of row {@code y}. */
        public int[] row(int y) {
            double im = minIm + (maxIm - minIm) * y / height;
            int[] counts = new int[width];
            for (int x = 0; x < width; x++) {
                counts[x] = iterations(minRe + (maxRe - minRe) * x / width, im);
            }
            return counts;
        }

        /** Iterations of z → z² + c from z = 0 before |z| > 2, at most {@code maxIterations}. */
        public int iterations(double re, double im) {
            double zr = 0;
            double zi = 0;
            int n = 0;
            while (n < maxIterations && zr * zr + zi * zi <= 4.0) {
                double t = zr * zr - zi * zi + re;
                zi = 2 * zr * zi + im;
                zr = t;
                n++;
            }
            return n;
        }
    }

    /**
     * Rows {@code 0 .. height - 1} computed by {@code row} in the given pool and returned as an image
     * ({@code image[y] = row.apply(y)}), with rows handed out dynamically: a worker takes the next row when it
     * is done with its last one.
     */
    public static int[][] renderRows(int height, IntFunction<int[]> row, ForkJoinPool pool) {
        checkHeight(height);
        int[][] image = new int[height][];
        AtomicInteger next = new AtomicInteger();
        Callable<Void> worker = () -> {
            for (int y = next.getAndIncrement(); y < height; y = next.getAndIncrement()) {
                image[y] = row.apply(y);
            }
            return null;
        };
        List<Callable<Void>> workers = new ArrayList<>();
        for (int i = 0; i < Math.min(pool.getParallelism(), height); i++) {
            workers.add(worker);
        }
        runAll(pool, workers);
        return image;
    }

    /**
     * The baseline: static scheduling. The rows are cut into {@code pool.getParallelism()} contiguous blocks of
     * (nearly) equal size, one task per block, whatever each row costs.
     */
    public static int[][] renderRowsStatic(int height, IntFunction<int[]> row, ForkJoinPool pool) {
        checkHeight(height);
        int[][] image = new int[height][];
        int blocks = Math.min(pool.getParallelism(), height);
        List<Callable<Void>> tasks = new ArrayList<>();
        for (int b = 0; b < blocks; b++) {
            int from = (int) ((long) height * b / blocks);
            int to = (int) ((long) height * (b + 1) / blocks);
            tasks.add(() -> {
                for (int y = from; y < to; y++) {
                    image[y] = row.apply(y);
                }
                return null;
            });
        }
        runAll(pool, tasks);
        return image;
    }

    /** One thread, one loop. */
    public static int[][] renderRowsSequential(int height, IntFunction<int[]> row) {
        checkHeight(height);
        int[][] image = new int[height][];
        for (int y = 0; y < height; y++) {
            image[y] = row.apply(y);
        }
        return image;
    }

    public static int[][] mandelbrot(View view, ForkJoinPool pool) {
        return renderRows(view.height(), view::row, pool);
    }

    public static int[][] mandelbrotStatic(View view, ForkJoinPool pool) {
        return renderRowsStatic(view.height(), view::row, pool);
    }

    public static int[][] mandelbrotSequential(View view) {
        return renderRowsSequential(view.height(), view::row);
    }

    private static void checkHeight(int height) {
        if (height < 0) {
            throw new IllegalArgumentException("height must not be negative, got " + height);
        }
    }

    /**
     * Runs the tasks in the pool, waits for all of them and rethrows the first failure as it was thrown (an
     * unchecked exception or an error). An interrupt while waiting cancels the tasks, is restored, and is
     * reported as a {@link CancellationException}.
     */
    static void runAll(ForkJoinPool pool, List<Callable<Void>> tasks) {
        List<Future<Void>> futures;
        try {
            futures = pool.invokeAll(tasks);
            for (Future<Void> future : futures) {
                future.get();
            }
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException unchecked) {
                throw unchecked;
            }
            if (cause instanceof Error error) {
                throw error;
            }
            throw new IllegalStateException(cause);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CancellationException("interrupted while waiting for the tasks");
        }
    }

    // ---------------------------------------------------------------------------------------------------------
    // Matrix multiply

    /** The product {@code a × b}, computed in the given pool by a {@link RowBlock} over all rows of {@code a}. */
    public static long[][] multiply(long[][] a, long[][] b, ForkJoinPool pool) {
        checkShapes(a, b);
        return pool.invoke(new RowBlock(a, b, 0, a.length));
    }

    /** The rows {@code [from, to)} of {@code a × b}. */
    static final class RowBlock extends RecursiveTask<long[][]> {
        private final long[][] a;
        private final long[][] b;
        private final int from;
        private final int to;

        RowBlock(long[][] a, long[][] b, int from, int to) {
            this.a = a;
            this.b = b;
            this.from = from;
            this.to = to;
        }

        @Override
        protected long[][] compute() {
            if (to - from <= THRESHOLD) {
                long[][] rows = new long[to - from][];
                for (int i = from; i < to; i++) {
                    rows[i - from] = multiplyRow(a[i], b);
                }
                return rows;
            }
            int mid = (from + to) >>> 1;
            RowBlock upper = new RowBlock(a, b, from, mid);
            upper.fork();
            long[][] lower = new RowBlock(a, b, mid, to).compute();
            long[][] top = upper.join();
            long[][] rows = new long[to - from][];
            System.arraycopy(top, 0, rows, 0, top.length);
            System.arraycopy(lower, 0, rows, top.length, lower.length);
            return rows;
        }
    }

    /** The baseline: the three nested loops, row after row. */
    public static long[][] multiplySequential(long[][] a, long[][] b) {
        checkShapes(a, b);
        long[][] product = new long[a.length][];
        for (int i = 0; i < a.length; i++) {
            product[i] = multiplyRow(a[i], b);
        }
        return product;
    }

    /** One row of a product: {@code row × b}. */
    public static long[] multiplyRow(long[] row, long[][] b) {
        long[] result = new long[b[0].length];
        for (int k = 0; k < row.length; k++) {
            long factor = row[k];
            long[] bk = b[k];
            for (int j = 0; j < result.length; j++) {
                result[j] += factor * bk[j];
            }
        }
        return result;
    }

    /** Rejects empty or ragged matrices and a pair whose inner sizes differ, with a message that says which. */
    public static void checkShapes(long[][] a, long[][] b) {
        if (a.length == 0 || b.length == 0 || b[0].length == 0) {
            throw new IllegalArgumentException("empty matrix: both matrices need at least one row and one column");
        }
        for (long[] row : a) {
            if (row.length != b.length) {
                throw new IllegalArgumentException("a has a row of " + row.length + " columns but b has "
                        + b.length + " rows");
            }
        }
        for (long[] row : b) {
            if (row.length != b[0].length) {
                throw new IllegalArgumentException("b is ragged: rows of " + b[0].length + " and " + row.length
                        + " columns");
            }
        }
    }
}
