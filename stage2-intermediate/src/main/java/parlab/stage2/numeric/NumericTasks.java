package parlab.stage2.numeric;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.Future;
import java.util.concurrent.RecursiveTask;
import java.util.function.IntFunction;

/**
 * s2e09 · CPU-bound numerical tasks.
 *
 * <p>Three classic number-crunching jobs, each with its own trap when it goes parallel. All three run in a
 * {@link ForkJoinPool} the caller gives you (and keeps: never close it, never use the common pool instead).
 *
 * <p><b>Monte Carlo π.</b> Throw random points into the unit square and count how many land inside the quarter
 * circle. The trap: randomness. A shared {@code Random} is a contention point (and {@link SplittableRandom} is not
 * thread-safe at all); one stream per <i>thread</i> makes the answer depend on how many threads there are and on
 * which thread ran what. A reproducible simulation gives the same answer for a seed on a laptop and on a
 * 64-core server, so the streams belong to fixed-size <i>tasks</i>, not to threads.
 *
 * <p><b>Mandelbrot rows.</b> Each pixel iterates until it escapes; pixels inside the set run the full
 * {@code maxIterations}, pixels far outside stop after two or three. So rows cost very different amounts, and
 * cutting the image into one equal block per thread ({@link #renderRowsStatic}, the baseline) leaves one thread
 * with all the expensive rows while the others idle. Hand the rows out dynamically instead.
 *
 * <p><b>Matrix multiply.</b> The divide-and-conquer shape of fork/join: a {@link RecursiveTask} that splits its
 * range of rows in two until a block is small enough to compute directly.
 *
 * <p>The contract, which the tests pin down:
 * <ul>
 *   <li>{@link #estimatePi}: task {@code k} covers samples {@code [k * TASK_SAMPLES, min(samples, (k + 1) *
 *       TASK_SAMPLES))} and draws its points with {@link #countHits} from the {@code k}-th stream split off
 *       {@code new SplittableRandom(seed)} ({@code split()} called in task order 0, 1, 2, ...). So the estimate is
 *       bit-for-bit the same for a seed at every parallelism level, and within a statistical bound of π;
 *       {@code samples < 1} is an {@link IllegalArgumentException};
 *   <li>{@link #renderRows}: {@code image[y] = row.apply(y)} for every row, each row computed exactly once, in
 *       the given pool, with rows handed out one at a time or in small chunks (a worker blocked in one row must
 *       not hold back the rows it has not started); a row's exception reaches the caller. So
 *       {@link #mandelbrot} equals {@link #mandelbrotSequential} exactly, for any number of workers;
 *   <li>{@link #multiply}: equals {@link #multiplySequential} for any shapes (odd sizes, below and above
 *       {@link #THRESHOLD} rows), computed by {@link RowBlock} tasks in the given pool; bad shapes are rejected
 *       by {@link #checkShapes}.
 * </ul>
 *
 * <p>Baseline experiment: {@code ./lab bench numerical} runs Monte Carlo and both Mandelbrot schedules on an
 * imbalanced view (the upper half of the set, expensive rows first) with 1 and 2 threads. On 2 cores, Monte Carlo
 * and dynamic rows should be close to 2x faster with 2 threads; static blocks much less.
 *
 * <p>Things to think about: why is {@code split()} called on one thread, in a fixed order, rather than inside the
 * tasks as they happen to run? Floating-point addition is not associative: why is the hit count a {@code long}?
 * What is the smallest unit of work you can hand out without the handing-out costing more than the work?
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
        // TODO: reject samples < 1
        // TODO: split one stream per task off new SplittableRandom(seed), in task order, before any task runs
        // TODO: count each task's hits with countHits in the pool (fork/join or invokeAll) and add them up exactly
        throw new UnsupportedOperationException("TODO: estimatePi");
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
        // TODO: check the height, then let pool.getParallelism() workers take rows one at a time (or in small
        //       chunks) until none is left, e.g. from a shared counter, or give every row its own task
        // TODO: wait for all of them and rethrow a row's failure; runAll(pool, tasks) does both
        throw new UnsupportedOperationException("TODO: renderRows");
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
        // TODO: check the shapes, then run one RowBlock over all the rows of a inside the given pool
        throw new UnsupportedOperationException("TODO: multiply");
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
            // TODO: at most THRESHOLD rows: compute them here with multiplyRow
            // TODO: more: split the range in two, fork one half, compute the other, join, and put the rows together
            throw new UnsupportedOperationException("TODO: RowBlock.compute");
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
