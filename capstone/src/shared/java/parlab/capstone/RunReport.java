package parlab.capstone;

import java.util.SortedMap;

/**
 * The outcome of a finished run: how many chunks the input has, how many of them this run found already committed
 * by an earlier (killed) run and skipped, the rows and rejects of the whole input, and the final result in station
 * order. A run can end short of the whole input in two ways: chunks that kept crashing their worker JVMs were
 * {@code quarantined} (the result lacks them), or a drain ({@code SIGTERM}, Ctrl-C) stopped it with
 * {@code unfinished} chunks not yet committed (the result is not written; running again resumes).
 */
public record RunReport(int chunks, int skipped, long rows, long rejects, SortedMap<String, StationStats> results,
        java.util.List<Chunk> quarantined, int unfinished) {
    public RunReport {
        quarantined = java.util.List.copyOf(quarantined);
    }

    /** A complete run. */
    public RunReport(int chunks, int skipped, long rows, long rejects, SortedMap<String, StationStats> results) {
        this(chunks, skipped, rows, rejects, results, java.util.List.of(), 0);
    }

    /** Every chunk is in the result. */
    public boolean complete() {
        return quarantined.isEmpty() && unfinished == 0;
    }

    /** The result in the challenge's format: {@code {a=-1.0/2.0/3.0, b=...}}. */
    public String formatted() {
        return ResultFormat.format(results);
    }
}
