package parlab.capstone;

/**
 * Min, max, sum and count of one station's temperatures in tenths of a degree: exact integers until the result is
 * printed. Mutable and not thread-safe: each chunk's parser owns its own, the merging thread owns the merged ones.
 */
public final class StationStats {
    private int min = Integer.MAX_VALUE;
    private int max = Integer.MIN_VALUE;
    private long sum;
    private long count;

    public StationStats() {
    }

    public StationStats(int min, int max, long sum, long count) {
        this.min = min;
        this.max = max;
        this.sum = sum;
        this.count = count;
    }

    public void add(int tenths) {
        if (tenths < min) {
            min = tenths;
        }
        if (tenths > max) {
            max = tenths;
        }
        sum += tenths;
        count++;
    }

    public void merge(StationStats other) {
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

    /** The mean in tenths, rounded half up as the challenge's reference does, computed exactly on integers. */
    public long meanTenths() {
        return Math.floorDiv(2 * sum + count, 2 * count);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof StationStats s && s.min == min && s.max == max && s.sum == sum && s.count == count;
    }

    @Override
    public int hashCode() {
        return Long.hashCode(sum) * 31 + (int) count;
    }

    /** {@code min/mean/max}, one fractional digit each. */
    @Override
    public String toString() {
        return tenths(min) + "/" + tenths(meanTenths()) + "/" + tenths(max);
    }

    /** {@code -123} as {@code "-12.3"}, {@code 5} as {@code "0.5"}, {@code -5} as {@code "-0.5"}. */
    public static String tenths(long value) {
        long abs = Math.abs(value);
        return (value < 0 ? "-" : "") + abs / 10 + "." + abs % 10;
    }
}
