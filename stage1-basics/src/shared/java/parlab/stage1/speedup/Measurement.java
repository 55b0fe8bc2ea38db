package parlab.stage1.speedup;

import java.util.List;

/**
 * What one call of {@link Speedup#measure} found: every measured run's duration in nanoseconds, in the order the
 * runs happened (warm-ups are not in it), and their median, minimum and maximum.
 *
 * @param samplesNanos the measured runs' durations, in run order; never empty
 * @param medianNanos  the middle sample once sorted; the mean of the two middle ones for an even count
 * @param minNanos     the fastest run
 * @param maxNanos     the slowest run
 */
public record Measurement(List<Long> samplesNanos, double medianNanos, long minNanos, long maxNanos) {
    public Measurement {
        samplesNanos = List.copyOf(samplesNanos);
        if (samplesNanos.isEmpty()) {
            throw new IllegalArgumentException("a measurement needs at least one sample");
        }
    }

    /** The median in milliseconds, for printing. */
    public double medianMillis() {
        return medianNanos / 1e6;
    }

    @Override
    public String toString() {
        return String.format("median %.3f ms (min %.3f, max %.3f, %d runs)", medianMillis(), minNanos / 1e6,
                maxNanos / 1e6, samplesNanos.size());
    }
}
