package parlab.stage2.numeric;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinWorkerThread;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicIntegerArray;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class NumericTasksTest {

    /** A pool whose workers are made by a factory that remembers them, so a test can tell the pool was used. */
    static final class RecordingPool implements AutoCloseable {
        final List<Thread> made = new CopyOnWriteArrayList<>();
        final ForkJoinPool pool;

        RecordingPool(int parallelism) {
            pool = new ForkJoinPool(parallelism, p -> {
                ForkJoinWorkerThread worker = ForkJoinPool.defaultForkJoinWorkerThreadFactory.newThread(p);
                worker.setName("numeric-worker-" + made.size());
                made.add(worker);
                return worker;
            }, null, false);
        }

        void assertUsed(String what) {
            assertThat(made).as("worker threads the given pool started for %s (0: the work ran somewhere else,"
                    + " e.g. on the calling thread or in the common pool)", what).isNotEmpty();
            assertThat(pool.isShutdown()).as("the given pool was shut down by %s: it belongs to the caller", what)
                    .isFalse();
        }

        @Override
        public void close() {
            pool.close();
        }
    }

    // ---------------------------------------------------------------------------------------------------------
    // Monte Carlo π

    /** The contract's scheme, one task after another. */
    private static double expectedPi(long samples, long seed) {
        SplittableRandom root = new SplittableRandom(seed);
        long hits = 0;
        for (long start = 0; start < samples; start += NumericTasks.TASK_SAMPLES) {
            hits += NumericTasks.countHits(root.split(), Math.min(NumericTasks.TASK_SAMPLES, samples - start));
        }
        return 4.0 * hits / samples;
    }

    @ParameterizedTest(name = "parallelism {0}")
    @ValueSource(ints = {1, 2, 3, 8})
    void theEstimateForASeedIsTheSameAtEveryParallelism(int parallelism) {
        try (var workers = new RecordingPool(parallelism)) {
            for (long seed : new long[] {42, 7, -1}) {
                assertThat(NumericTasks.estimatePi(1_000_000, seed, workers.pool))
                        .as("estimate for 1,000,000 samples and seed %d with parallelism %d: must be bit-identical"
                                + " to task k drawing from the k-th split() of new SplittableRandom(seed)", seed,
                                parallelism)
                        .isEqualTo(expectedPi(1_000_000, seed));
            }
            workers.assertUsed("estimatePi");
        }
    }

    @ParameterizedTest(name = "{0} samples")
    @ValueSource(longs = {1, 2, 65_535, 65_536, 65_537, 200_001})
    void everySampleIsCountedOnceAtTaskEdges(long samples) {
        try (var workers = new RecordingPool(3)) {
            assertThat(NumericTasks.estimatePi(samples, 2024, workers.pool))
                    .as("estimate for %d samples (TASK_SAMPLES = %d): the last task takes what is left, no sample"
                            + " lost or drawn twice", samples, NumericTasks.TASK_SAMPLES)
                    .isEqualTo(expectedPi(samples, 2024));
        }
    }

    @Test
    void theEstimateIsCloseToPi() {
        try (var workers = new RecordingPool(2)) {
            for (long seed = 1; seed <= 3; seed++) {
                // standard deviation of the estimate for 1e6 samples: 4 * sqrt(p(1-p)/n) ≈ 0.0016; 0.01 is 6 sigma
                assertThat(NumericTasks.estimatePi(1_000_000, seed, workers.pool))
                        .as("estimate of π from 1,000,000 samples, seed %d", seed)
                        .isCloseTo(Math.PI, org.assertj.core.data.Offset.offset(0.01));
            }
        }
    }

    @Test
    void tooFewSamplesAreRejected() {
        try (var workers = new RecordingPool(2)) {
            assertThatThrownBy(() -> NumericTasks.estimatePi(0, 1, workers.pool))
                    .as("estimatePi with 0 samples")
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("samples");
        }
    }

    // ---------------------------------------------------------------------------------------------------------
    // Mandelbrot rows

    @ParameterizedTest(name = "{0} workers")
    @ValueSource(ints = {1, 2, 3, 8})
    void theImageEqualsTheSequentialOne(int parallelism) {
        var view = NumericTasks.View.imbalanced(97, 61, 300);
        int[][] expected = NumericTasks.mandelbrotSequential(view);
        try (var workers = new RecordingPool(parallelism)) {
            int[][] image = NumericTasks.mandelbrot(view, workers.pool);
            assertThat(image).as("Mandelbrot iteration counts with %d workers, row by row", parallelism)
                    .isDeepEqualTo(expected);
            workers.assertUsed("mandelbrot");
        }
    }

    @Test
    void everyRowIsComputedExactlyOnceInThePool() {
        int height = 200;
        var calls = new AtomicIntegerArray(height);
        List<Thread> threads = new CopyOnWriteArrayList<>();
        try (var workers = new RecordingPool(3)) {
            int[][] image = NumericTasks.renderRows(height, y -> {
                calls.incrementAndGet(y);
                if (!threads.contains(Thread.currentThread())) {
                    threads.add(Thread.currentThread());
                }
                return new int[] {y};
            }, workers.pool);
            for (int y = 0; y < height; y++) {
                assertThat(calls.get(y)).as("times row %d was computed", y).isEqualTo(1);
                assertThat(image[y]).as("image row %d", y).containsExactly(y);
            }
            workers.assertUsed("renderRows");
            assertThat(threads).as("threads that computed rows: the pool's workers")
                    .anyMatch(workers.made::contains);
        }
    }

    @Test
    void anEmptyImageHasNoRows() {
        try (var workers = new RecordingPool(2)) {
            assertThat(NumericTasks.renderRows(0, y -> new int[0], workers.pool)).as("image of height 0").isEmpty();
        }
    }

    /**
     * Row 0 waits until rows 16..63 are done. With two workers and static blocks, the worker holding row 0 also
     * holds rows 16..31 and waits forever (here: 5 seconds); with rows handed out one at a time or in chunks of up
     * to 16 rows, the other worker takes every remaining row and row 0 is released.
     */
    @Test
    void aSlowRowDoesNotHoldBackTheRowsAfterIt() {
        int height = 64;
        var lateRows = new CountDownLatch(height - 16);
        boolean[] released = new boolean[1];
        long[] doneWhenRow0GaveUp = new long[1];
        try (var workers = new RecordingPool(2)) {
            int[][] image = NumericTasks.renderRows(height, y -> {
                if (y == 0) {
                    try {
                        released[0] = lateRows.await(5, TimeUnit.SECONDS);
                        doneWhenRow0GaveUp[0] = height - 16 - lateRows.getCount();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                } else if (y >= 16) {
                    lateRows.countDown();
                }
                return new int[] {y};
            }, workers.pool);
            assertThat(released[0])
                    .as("row 0 was released because rows 16..63 got done while it waited; it was not, so the rows"
                            + " were handed out in large fixed blocks (only %d of the 48 rows 16..63 got done in 5 s):"
                            + " hand them out one at a time or in small chunks", doneWhenRow0GaveUp[0])
                    .isTrue();
            assertThat(image[63]).as("last row").containsExactly(63);
        }
    }

    @Test
    void aRowsFailureReachesTheCaller() {
        IllegalStateException boom = new IllegalStateException("boom in row 37");
        try (var workers = new RecordingPool(2)) {
            Throwable thrown = catchThrowable(() -> NumericTasks.renderRows(100, y -> {
                if (y == 37) {
                    throw boom;
                }
                return new int[] {y};
            }, workers.pool));
            assertThat(thrown).as("what renderRows threw when row 37 failed").isNotNull();
            Throwable cause = thrown;
            while (cause != null && cause != boom) {
                cause = cause.getCause();
            }
            assertThat(cause).as("the row's exception, in the cause chain of %s", thrown).isSameAs(boom);
        }
    }

    // ---------------------------------------------------------------------------------------------------------
    // Matrix multiply

    private static long[][] matrix(int rows, int columns, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        long[][] m = new long[rows][columns];
        for (long[] row : m) {
            for (int j = 0; j < columns; j++) {
                row[j] = random.nextLong(-1_000, 1_000);
            }
        }
        return m;
    }

    @ParameterizedTest(name = "{0} x {0}")
    @ValueSource(ints = {1, 7, 15, 16, 17, 33, 101})
    void theProductEqualsTheNaiveOne(int n) {
        long[][] a = matrix(n, n, n);
        long[][] b = matrix(n, n, n + 1);
        try (var workers = new RecordingPool(3)) {
            assertThat(NumericTasks.multiply(a, b, workers.pool))
                    .as("product of two %d x %d matrices (THRESHOLD = %d rows)", n, n, NumericTasks.THRESHOLD)
                    .isDeepEqualTo(NumericTasks.multiplySequential(a, b));
            workers.assertUsed("multiply");
        }
    }

    @Test
    void rectangularProductsHaveTheRightShape() {
        long[][] a = matrix(53, 9, 1);
        long[][] b = matrix(9, 4, 2);
        try (var workers = new RecordingPool(2)) {
            long[][] product = NumericTasks.multiply(a, b, workers.pool);
            assertThat(product).as("(53 x 9) times (9 x 4)").hasDimensions(53, 4)
                    .isDeepEqualTo(NumericTasks.multiplySequential(a, b));
        }
    }

    @Test
    void mismatchedShapesAreRejected() {
        try (var workers = new RecordingPool(2)) {
            assertThatThrownBy(() -> NumericTasks.multiply(matrix(3, 4, 1), matrix(5, 3, 2), workers.pool))
                    .as("(3 x 4) times (5 x 3)")
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("columns");
        }
    }
}
