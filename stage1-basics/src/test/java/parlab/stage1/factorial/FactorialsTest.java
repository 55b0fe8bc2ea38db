package parlab.stage1.factorial;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.math.BigInteger;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinWorkerThread;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BinaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class FactorialsTest {
    private static final Map<Integer, BigInteger> ORACLE = new ConcurrentHashMap<>();

    /** n! by the schoolbook loop, written here so that the tests do not trust the code under test. */
    private static BigInteger oracle(int n) {
        return ORACLE.computeIfAbsent(n, k -> {
            BigInteger product = BigInteger.ONE;
            for (int i = 2; i <= k; i++) {
                product = product.multiply(BigInteger.valueOf(i));
            }
            return product;
        });
    }

    /** A fork/join pool whose threads are named fact-worker-N and remembered, so a test can tell them apart. */
    static final class MarkedPool implements AutoCloseable {
        final List<Thread> made = new CopyOnWriteArrayList<>();
        final ForkJoinPool pool;

        MarkedPool(int parallelism) {
            pool = new ForkJoinPool(parallelism, p -> {
                ForkJoinWorkerThread thread = ForkJoinPool.defaultForkJoinWorkerThreadFactory.newThread(p);
                thread.setName("fact-worker-" + made.size());
                made.add(thread);
                return thread;
            }, null, false);
        }

        @Override
        public void close() {
            pool.close();
        }
    }

    /** One call of the multiplication: its operands and the thread it ran on. */
    record Call(BigInteger left, BigInteger right, Thread thread) {
        long bits() {
            return (long) left.bitLength() + right.bitLength();
        }
    }

    /** {@link BigInteger#multiply} that records every call. */
    static final class RecordingMultiply implements BinaryOperator<BigInteger> {
        final List<Call> calls = new CopyOnWriteArrayList<>();

        @Override
        public BigInteger apply(BigInteger left, BigInteger right) {
            calls.add(new Call(left, right, Thread.currentThread()));
            return left.multiply(right);
        }

        /** The call that made the final product: the one with the largest operands. */
        Call root() {
            return calls.stream().max(Comparator.comparingLong(Call::bits)).orElseThrow();
        }
    }

    private static void assertBalancedRoot(RecordingMultiply multiply, int n) {
        assertThat(multiply.calls)
                .as("calls of the multiply you were given for %d! (the halves of every split are combined by it)", n)
                .isNotEmpty();
        Call root = multiply.root();
        assertThat(root.left().multiply(root.right())).as("the last multiplication's product").isEqualTo(oracle(n));
        long smaller = Math.min(root.left().bitLength(), root.right().bitLength());
        assertThat((double) smaller / root.bits())
                .as("share of the smaller operand in the last multiplication (%d and %d bits): a product tree "
                        + "multiplies two halves of similar size, a loop multiplies a huge number by a small one",
                        root.left().bitLength(), root.right().bitLength())
                .isGreaterThan(0.3);
    }

    @ParameterizedTest(name = "{0}!")
    @ValueSource(ints = {0, 1, 2, 20, 63, 64, 65, 129, 1000, 20000})
    void productTreeEqualsTheOracle(int n) {
        assertThat(Factorials.productTree(n)).as("productTree(%d)", n).isEqualTo(oracle(n));
    }

    @ParameterizedTest(name = "{0}!")
    @ValueSource(ints = {0, 1, 2, 20, 63, 64, 65, 129, 1000, 20000})
    void parallelEqualsTheOracle(int n) {
        try (MarkedPool marked = new MarkedPool(2)) {
            assertThat(Factorials.parallel(n, marked.pool)).as("parallel(%d, pool)", n).isEqualTo(oracle(n));
            assertThat(Factorials.parallel(n, marked.pool, BigInteger::multiply))
                    .as("parallel(%d, pool, BigInteger::multiply)", n).isEqualTo(oracle(n));
        }
    }

    @Test
    void productTreeCombinesHalvesOfSimilarSize() {
        RecordingMultiply multiply = new RecordingMultiply();
        assertThat(Factorials.productTree(2000, multiply)).as("productTree(2000, multiply)").isEqualTo(oracle(2000));
        assertBalancedRoot(multiply, 2000);
    }

    @Test
    void parallelMultipliesOnlyOnTheGivenPoolsThreads() {
        try (MarkedPool marked = new MarkedPool(2)) {
            RecordingMultiply multiply = new RecordingMultiply();
            assertThat(Factorials.parallel(5000, marked.pool, multiply)).as("parallel(5000, pool, multiply)")
                    .isEqualTo(oracle(5000));
            assertBalancedRoot(multiply, 5000);
            assertThat(multiply.calls.stream().map(Call::thread).distinct().toList())
                    .as("threads that ran the multiplications: only the given pool's (named fact-worker-N), never "
                            + "the caller or the common pool")
                    .isSubsetOf(marked.made);
        }
    }

    @Test
    void parallelComputesTheTwoHalvesAtTheSameTime() {
        // The multiply is a rendezvous for the two big multiplications just below the root (each a third to two
        // thirds of n!'s bits): each waits until the other has started, which only happens if the two halves of
        // [1, n + 1) are computed at the same time, by two workers.
        int n = 20000;
        long bigEnough = oracle(n).bitLength() * 35L / 100;
        long rootSize = oracle(n).bitLength() * 90L / 100;
        CountDownLatch bothHalves = new CountDownLatch(2);
        AtomicInteger waitedInVain = new AtomicInteger();
        BinaryOperator<BigInteger> rendezvous = (left, right) -> {
            long bits = (long) left.bitLength() + right.bitLength();
            if (bits >= bigEnough && bits < rootSize) {
                bothHalves.countDown();
                try {
                    if (!bothHalves.await(3, TimeUnit.SECONDS)) {
                        waitedInVain.incrementAndGet();
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            return left.multiply(right);
        };
        try (MarkedPool marked = new MarkedPool(2)) {
            assertThat(Factorials.parallel(n, marked.pool, rendezvous)).as("parallel(%d, pool, multiply)", n)
                    .isEqualTo(oracle(n));
        }
        assertThat(bothHalves.getCount())
                .as("big multiplications just below the root that never happened (expected 2: one per half)")
                .isZero();
        assertThat(waitedInVain.get())
                .as("halves of [1, %d) whose last multiplication waited 3 s in vain for the other half's: fork "
                        + "one half so that another worker can take it while this one computes the other", n + 1)
                .isZero();
    }

    @Test
    void factorialsReturnsEachFactorialInTheListsOrder() {
        List<Integer> ns = List.of(20000, 0, 1000, 1, 20, 1000, 65);
        try (MarkedPool marked = new MarkedPool(2)) {
            assertThat(Factorials.factorials(ns, marked.pool))
                    .as("factorials(%s)", ns)
                    .containsExactlyElementsOf(ns.stream().map(FactorialsTest::oracle).toList());
            assertThat(marked.made).as("threads of the given pool that were used (the work must run in it)")
                    .isNotEmpty();
        }
    }

    @Test
    void factorialsOfAnEmptyListIsEmpty() {
        try (MarkedPool marked = new MarkedPool(2)) {
            assertThat(Factorials.factorials(List.of(), marked.pool)).as("factorials of no n").isEmpty();
        }
    }

    @Test
    void parallelRunsInTheGivenPool() {
        try (MarkedPool marked = new MarkedPool(2)) {
            assertThat(Factorials.parallel(3000, marked.pool)).as("parallel(3000, pool)").isEqualTo(oracle(3000));
            assertThat(marked.made)
                    .as("threads of the given pool that were used: none means the work ran elsewhere (the caller "
                            + "or the common pool)")
                    .isNotEmpty();
        }
    }

    @Test
    void aNegativeNIsRejectedWithAClearMessage() {
        assertThatIllegalArgumentException().as("productTree(-1)")
                .isThrownBy(() -> Factorials.productTree(-1))
                .withMessageContaining("-1").withMessageMatching("(?s).*\\bn\\b.*");
        try (MarkedPool marked = new MarkedPool(2)) {
            assertThatIllegalArgumentException().as("parallel(-5, pool)")
                    .isThrownBy(() -> Factorials.parallel(-5, marked.pool))
                    .withMessageContaining("-5").withMessageMatching("(?s).*\\bn\\b.*");
            assertThatIllegalArgumentException().as("factorials([3000, -2, 5], pool)")
                    .isThrownBy(() -> Factorials.factorials(List.of(3000, -2, 5), marked.pool))
                    .withMessageContaining("-2").withMessageMatching("(?s).*\\bn\\b.*");
            assertThat(marked.made)
                    .as("threads the pool started for rejected calls: check every n before any work starts")
                    .isEmpty();
        }
    }
}
