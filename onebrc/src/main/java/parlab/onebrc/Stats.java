package parlab.onebrc;

/**
 * Min, sum, max and count of one station's temperatures, in tenths of a degree, so that no rounding happens until
 * the result is printed. Mutable and not thread-safe: one per thread, merged at the end.
 */
public final class Stats {
    private int min = Integer.MAX_VALUE;
    private int max = Integer.MIN_VALUE;
    private long sum;
    private long count;

    /** Stats already summed elsewhere. */
    public static Stats of(int min, int max, long sum, long count) {
        Stats stats = new Stats();
        stats.min = min;
        stats.max = max;
        stats.sum = sum;
        stats.count = count;
        return stats;
    }

    public void add(int tenths) {
        min = Math.min(min, tenths);
        max = Math.max(max, tenths);
        sum += tenths;
        count++;
    }

    public void merge(Stats other) {
        min = Math.min(min, other.min);
        max = Math.max(max, other.max);
        sum += other.sum;
        count += other.count;
    }

    public int min() {
        return min;
    }

    public int max() {
        return max;
    }

    public long sum() {
        return sum;
    }

    public long count() {
        return count;
    }

    /**
     * {@code min/mean/max} with one fractional digit each, the mean rounded half up as the challenge's reference
     * does ({@code Math.round(mean * 10) / 10.0}), computed exactly on integers.
     */
    @Override
    public String toString() {
        long meanTenths = Math.floorDiv(2 * sum + count, 2 * count);
        return tenths(min) + "/" + tenths(meanTenths) + "/" + tenths(max);
    }

    /** {@code -123} as {@code "-12.3"}, {@code 5} as {@code "0.5"}, {@code -5} as {@code "-0.5"}. */
    public static String tenths(long value) {
        long abs = Math.abs(value);
        return (value < 0 ? "-" : "") + abs / 10 + "." + abs % 10;
    }
}
