package parlab.stage1.loops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadFactory;
import java.util.function.LongUnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import parlab.testing.Threads;

class ParallelLoopsTest {

    /** A factory that remembers every thread it made, so the tests can count and inspect them. */
    static final class RecordingFactory implements ThreadFactory {
        final List<Thread> made = new CopyOnWriteArrayList<>();

        @Override
        public Thread newThread(Runnable task) {
            Thread thread = new Thread(task, "loop-worker-" + made.size());
            made.add(thread);
            return thread;
        }
    }

    @ParameterizedTest(name = "[{0}, {1}) on {2} threads")
    @CsvSource({"0, 1000, 1", "0, 1000, 2", "0, 1000, 3", "-50, 50, 4", "7, 8, 1", "0, 10, 3", "5, 12, 7", "0, 100001, 8"})
    void sumOfSquaresEqualsTheSequentialLoop(long from, long to, int threads) {
        long expected = ParallelLoops.sequentialSum(from, to, i -> i * i);
        assertThat(ParallelLoops.sumOfSquares(from, to, threads, new RecordingFactory()))
                .as("sum of squares over [%d, %d) with %d threads", from, to, threads)
                .isEqualTo(expected);
    }

    @ParameterizedTest(name = "primes in [{0}, {1}) on {2} threads")
    @CsvSource({"0, 2, 2", "0, 100, 1", "0, 100, 3", "0, 100000, 2", "99990, 100010, 4"})
    void countPrimesEqualsTheSequentialCount(long from, long to, int threads) {
        long expected = ParallelLoops.sequentialSum(from, to, i -> ParallelLoops.isPrime(i) ? 1 : 0);
        assertThat(ParallelLoops.countPrimes(from, to, threads, new RecordingFactory()))
                .as("primes in [%d, %d) with %d threads", from, to, threads)
                .isEqualTo(expected);
    }

    @Test
    void everyItemIsVisitedExactlyOnce() {
        int[] visits = new int[1000];
        long sum = ParallelLoops.parallelSum(0, visits.length, 7, new RecordingFactory(), i -> {
            synchronized (visits) {
                visits[(int) i]++;
            }
            return 1;
        });
        assertThat(sum).as("number of items summed").isEqualTo(1000);
        assertThat(visits).as("visits per item (no item lost or counted twice at block edges)").containsOnly(1);
    }

    @Test
    void usesExactlyTheRequestedNumberOfThreadsFromTheFactory() {
        RecordingFactory factory = new RecordingFactory();
        List<String> workers = new CopyOnWriteArrayList<>();
        ParallelLoops.parallelSum(0, 1000, 4, factory, i -> {
            String name = Thread.currentThread().getName();
            if (!workers.contains(name)) {
                workers.add(name);
            }
            return i;
        });
        assertThat(factory.made).as("threads made by the factory for 4 workers").hasSize(4);
        assertThat(workers).as("threads that did the work: only the factory's")
                .allMatch(name -> name.startsWith("loop-worker-"))
                .hasSizeBetween(1, 4);
    }

    @Test
    void neverStartsMoreThreadsThanItems() {
        RecordingFactory factory = new RecordingFactory();
        assertThat(ParallelLoops.sumOfSquares(0, 3, 8, factory)).isEqualTo(0 + 1 + 4);
        assertThat(factory.made).as("threads for 3 items and 8 allowed threads").hasSize(3);
    }

    @Test
    void anEmptyRangeIsZeroAndStartsNoThread() {
        RecordingFactory factory = new RecordingFactory();
        assertThat(ParallelLoops.sumOfSquares(5, 5, 4, factory)).as("sum over the empty range [5, 5)").isZero();
        assertThat(factory.made).as("threads started for no work").isEmpty();
    }

    @Test
    void noThreadIsAliveAfterReturn() {
        RecordingFactory factory = new RecordingFactory();
        ParallelLoops.countPrimes(0, 20_000, 3, factory);
        assertThat(factory.made).as("threads made").isNotEmpty()
                .as("threads still alive after parallelSum returned: every thread must be joined")
                .noneMatch(Threads::stillAlive);
    }

    @Test
    void aWorkersExceptionReachesTheCallerAfterAllThreadsEnded() {
        RecordingFactory factory = new RecordingFactory();
        IllegalStateException boom = new IllegalStateException("boom at 700");
        LongUnaryOperator term = i -> {
            if (i == 700) {
                throw boom;
            }
            return i;
        };
        assertThatThrownBy(() -> ParallelLoops.parallelSum(0, 1000, 4, factory, term))
                .as("the exception thrown inside a worker, rethrown to the caller")
                .isSameAs(boom);
        assertThat(factory.made).as("threads alive after the failure").isNotEmpty().noneMatch(Threads::stillAlive);
    }

    @Test
    void badArgumentsAreRejectedWithAMessage() {
        assertThatThrownBy(() -> ParallelLoops.sumOfSquares(0, 10, 0, new RecordingFactory()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("threads");
        assertThatThrownBy(() -> ParallelLoops.sumOfSquares(10, 0, 2, new RecordingFactory()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("from");
    }
}
