package parlab.capstone;

import java.util.SortedMap;

/**
 * The outcome of a finished run: how many chunks the input has, how many of them this run found already committed
 * by an earlier (killed) run and skipped, the rows and rejects of the whole input, and the final result in station
 * order.
 */
public record RunReport(int chunks, int skipped, long rows, long rejects, SortedMap<String, StationStats> results) {
    /** The result in the challenge's format: {@code {a=-1.0/2.0/3.0, b=...}}. */
    public String formatted() {
        return ResultFormat.format(results);
    }
}
