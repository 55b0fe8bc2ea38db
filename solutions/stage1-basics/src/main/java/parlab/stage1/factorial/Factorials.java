package parlab.stage1.factorial;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinTask;
import java.util.concurrent.RecursiveTask;
import java.util.function.BinaryOperator;

/**
 * s1e03 · Factorials in parallel.
 *
 * <p>{@code 200000!} has about a million decimal digits. The schoolbook loop {@code p = p * i} multiplies an ever
 * bigger number by a small one, {@code n} times: each step is cheap, but it walks the whole of {@code p}, so the
 * work grows like {@code n²}. A <em>product tree</em> does better: the product of {@code [lo, hi)} is the product
 * of {@code [lo, mid)} times the product of {@code [mid, hi)}, split in halves until a range is small enough for a
 * plain loop. Now the multiplications pair numbers of similar size, where {@link BigInteger} switches to
 * Karatsuba and Toom-Cook, which are far cheaper than the schoolbook method for big operands.
 *
 * <p>The two halves are independent, which is exactly the shape {@link java.util.concurrent.ForkJoinPool} is made
 * for: a {@link RecursiveTask} forks one half, computes the other, joins, and multiplies. Idle workers steal the
 * forked halves, so every core gets a share without you cutting the work up front.
 *
 * <p>The contract, which the tests pin down:
 * <ul>
 *   <li>{@link #productTree} and {@link #parallel} return exactly {@code n!} ({@code 0! = 1! = 1});
 *   <li>both split {@code [1, n + 1)} in halves recursively; a range of at most {@link #LEAF_SIZE} numbers is a
 *       leaf, multiplied by {@link #loopProduct}; the two halves of every split are combined by the
 *       {@code multiply} you are given, so the last multiplication pairs two numbers of similar size;
 *   <li>{@link #parallel} does all its work in the given pool: every {@code multiply} runs on one of its threads;
 *   <li>{@link #factorials} returns the factorial of each {@code n} in the list, in the list's order, all of them
 *       computed in the given pool;
 *   <li>a negative {@code n} is an {@link IllegalArgumentException} whose message names {@code n} and its value;
 *       {@link #factorials} checks the whole list before it starts any work.
 * </ul>
 *
 * <p>Baseline experiment: {@code ./lab bench factorial} times, at {@code n} = 50,000 and 200,000, the naive loop,
 * the sequential product tree (the baseline), the same tree with {@link BigInteger#parallelMultiply}, and your
 * fork/join tree with plain {@code multiply} and with {@code parallelMultiply}.
 *
 * <p>Things to think about: the tree has {@code n / LEAF_SIZE} leaves but one root. How much of the total time is
 * the very last multiplication, and what does that mean for the speedup you can get from splitting alone (Amdahl)?
 * When a task forks its left half, which half should it compute itself? {@code parallelMultiply} forks subtasks
 * too: into which pool, when it is called from inside one of your tasks?
 *
 * <p>Reference solution. {@code RangeProduct} forks its left half, computes the right half in the current thread,
 * joins the left and combines the two with {@code multiply}; {@code pool.invoke} runs the root task inside the pool,
 * so every task and every {@code multiply} runs on the pool's threads. {@link #parallel(int, ForkJoinPool)} combines
 * with {@link BigInteger#parallelMultiply}: called from a task of this pool, its Toom-Cook subproducts are forked
 * into the same pool, so the few huge multiplications at the top of the tree, which splitting alone leaves to one
 * thread, use every core too. {@link #factorials} submits one root task per {@code n} before it joins any, so that
 * all of them share the pool at once, and joins them in the list's order.
 *
 * <p>Other ways: {@code LongStream.rangeClosed(1, n).parallel().mapToObj(BigInteger::valueOf)
 * .reduce(BigInteger.ONE, BigInteger::multiply)} builds a similar tree on the common pool (the stream's split
 * points decide the tree's shape), but does not let you choose the pool or the multiplication. Measured on 2 cores
 * at {@code n = 200,000}: splitting alone gets about 1.3x (the root's multiplication, a third of the work, stays on
 * one thread), {@code parallelMultiply} alone about 1.2–1.4x, both together about 1.6x. Prime-swing algorithms
 * (Luschny) and taking the powers of two out as one final shift do less work in the first place: a better
 * algorithm beats more cores.
 */
public final class Factorials {
    /** Ranges of at most this many numbers are the tree's leaves, multiplied by {@link #loopProduct}. */
    public static final int LEAF_SIZE = 64;

    private Factorials() {
    }

    /** The product of {@code [lo, hi)} by a plain loop ({@code 1} for an empty range). */
    public static BigInteger loopProduct(long lo, long hi) {
        BigInteger product = BigInteger.ONE;
        for (long i = lo; i < hi; i++) {
            product = product.multiply(BigInteger.valueOf(i));
        }
        return product;
    }

    /** The naive loop: {@code n!} as {@code 1 * 2 * ... * n}, one number at a time. */
    public static BigInteger naive(int n) {
        checkN(n);
        return loopProduct(1, n + 1L);
    }

    /** {@link #productTree(int, BinaryOperator)} with {@link BigInteger#multiply}: the sequential baseline. */
    public static BigInteger productTree(int n) {
        return productTree(n, BigInteger::multiply);
    }

    /** {@code n!} by a sequential product tree whose splits are combined by {@code multiply}. */
    public static BigInteger productTree(int n, BinaryOperator<BigInteger> multiply) {
        checkN(n);
        return product(1, n + 1L, multiply);
    }

    /** {@link #parallel(int, ForkJoinPool, BinaryOperator)} with {@link BigInteger#parallelMultiply}. */
    public static BigInteger parallel(int n, ForkJoinPool pool) {
        return parallel(n, pool, BigInteger::parallelMultiply);
    }

    /** {@code n!} by a product tree computed with fork/join in {@code pool}, splits combined by {@code multiply}. */
    public static BigInteger parallel(int n, ForkJoinPool pool, BinaryOperator<BigInteger> multiply) {
        checkN(n);
        return pool.invoke(new RangeProduct(1, n + 1L, multiply));
    }

    /** The factorial of every {@code n} in {@code ns}, in the same order, all computed in {@code pool}. */
    public static List<BigInteger> factorials(List<Integer> ns, ForkJoinPool pool) {
        for (int i = 0; i < ns.size(); i++) {
            checkN(ns.get(i));
        }
        List<ForkJoinTask<BigInteger>> submitted = new ArrayList<>(ns.size());
        for (int n : ns) {
            submitted.add(pool.submit(new RangeProduct(1, n + 1L, BigInteger::parallelMultiply)));
        }
        List<BigInteger> results = new ArrayList<>(ns.size());
        for (ForkJoinTask<BigInteger> task : submitted) {
            results.add(task.join());
        }
        return results;
    }

    private static void checkN(int n) {
        if (n < 0) {
            throw new IllegalArgumentException("n must be >= 0 (n! is defined for n >= 0), was n = " + n);
        }
    }

    /** The sequential tree: halves until a leaf, then combined by {@code multiply}. */
    private static BigInteger product(long lo, long hi, BinaryOperator<BigInteger> multiply) {
        if (hi - lo <= LEAF_SIZE) {
            return loopProduct(lo, hi);
        }
        long mid = (lo + hi) >>> 1;
        return multiply.apply(product(lo, mid, multiply), product(mid, hi, multiply));
    }

    /** One node of the product tree: the product of {@code [lo, hi)}. */
    private static final class RangeProduct extends RecursiveTask<BigInteger> {
        private final long lo;
        private final long hi;
        private final BinaryOperator<BigInteger> multiply;

        RangeProduct(long lo, long hi, BinaryOperator<BigInteger> multiply) {
            this.lo = lo;
            this.hi = hi;
            this.multiply = multiply;
        }

        @Override
        protected BigInteger compute() {
            if (hi - lo <= LEAF_SIZE) {
                return loopProduct(lo, hi);
            }
            long mid = (lo + hi) >>> 1;
            RangeProduct left = new RangeProduct(lo, mid, multiply);
            left.fork();                                              // offered to idle workers
            BigInteger right = new RangeProduct(mid, hi, multiply).compute(); // this thread keeps the other half
            return multiply.apply(left.join(), right);
        }
    }
}
