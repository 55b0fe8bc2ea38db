package parlab.stage2.profiling;

import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * What a contention profile found: one line per monitor class, most contended first.
 *
 * @param monitors the contended monitor classes, ranked: most events first, and for equal counts the longer total
 *                 blocked time first; empty when no profiled thread ever had to wait
 */
public record ContentionReport(List<MonitorContention> monitors) {

    public ContentionReport {
        monitors = List.copyOf(Objects.requireNonNull(monitors, "monitors"));
    }

    /** The first line of the report: the lock to look at first. */
    public Optional<MonitorContention> mostContended() {
        return monitors.stream().findFirst();
    }

    /** The line for the monitors of {@code monitorClass}, if they were contended at all. */
    public Optional<MonitorContention> monitor(String monitorClass) {
        return monitors.stream().filter(m -> m.monitorClass().equals(monitorClass)).findFirst();
    }

    /** All the waits, every monitor class together. */
    public long totalEvents() {
        return monitors.stream().mapToLong(MonitorContention::events).sum();
    }

    @Override
    public String toString() {
        if (monitors.isEmpty()) {
            return "no contended monitor";
        }
        StringBuilder out = new StringBuilder();
        for (MonitorContention m : monitors) {
            out.append(String.format(Locale.ROOT, "%-60s %6d waits %10.3f ms blocked%n",
                    m.monitorClass(), m.events(), m.blocked().toNanos() / 1e6));
        }
        return out.toString().stripTrailing();
    }
}
