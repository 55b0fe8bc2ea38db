package parlab.capstone;

import java.util.List;
import java.util.Map;

/**
 * What parsing one chunk gives: how many lines it holds ({@code lines}, good and bad: the line numbers of later
 * chunks depend on it), how many were good ({@code rows}), the partial aggregate of its good lines by station, and
 * its rejects in line order: the first {@link ChunkParser#MAX_REJECTS_KEPT} of them, so that a chunk of bad lines
 * stays small; {@link #rejected()} counts them all.
 */
public record ChunkResult(Chunk chunk, long lines, long rows, Map<String, StationStats> stations,
        List<Reject> rejects) {
    /** How many lines of the chunk were bad, kept in {@link #rejects()} or not. */
    public long rejected() {
        return lines - rows;
    }
}
