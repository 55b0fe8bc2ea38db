package parlab.stage2.profiling;

import java.time.Duration;
import java.util.Objects;

/**
 * How much the profiled threads had to wait for the monitors of one class.
 *
 * @param monitorClass the class of the locked object, as JFR names it ({@code java.lang.Object},
 *                     {@code parlab.stage2.profiling.SynchronizedHitCounter}, a nested class with {@code $})
 * @param events       how many times a thread had to wait to enter such a monitor (JFR {@code jdk.JavaMonitorEnter}
 *                     events), at least 1
 * @param blocked      the total time those threads spent waiting, all events added up
 */
public record MonitorContention(String monitorClass, long events, Duration blocked) {

    public MonitorContention {
        Objects.requireNonNull(monitorClass, "monitorClass");
        Objects.requireNonNull(blocked, "blocked");
        if (events < 1) {
            throw new IllegalArgumentException("a contended monitor has at least one event, got " + events);
        }
        if (blocked.isNegative()) {
            throw new IllegalArgumentException("blocked time is negative: " + blocked);
        }
    }
}
