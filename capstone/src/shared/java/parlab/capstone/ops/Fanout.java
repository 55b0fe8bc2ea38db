package parlab.capstone.ops;

import java.util.ArrayList;
import java.util.List;
import parlab.capstone.Chunk;
import parlab.capstone.ChunkResult;
import parlab.capstone.Progress;

/**
 * One {@link Progress} that tells several, in order (the line printer, the bar, the metrics, the log). It forwards
 * every event of {@code Progress}: a new event there needs its line here.
 */
public final class Fanout implements Progress {
    private final List<Progress> listeners;

    private Fanout(List<Progress> listeners) {
        this.listeners = listeners;
    }

    /** The listeners that are not {@code null}, in order. */
    public static Progress of(Progress... listeners) {
        List<Progress> present = new ArrayList<>();
        for (Progress listener : listeners) {
            if (listener != null) {
                present.add(listener);
            }
        }
        return present.size() == 1 ? present.getFirst() : new Fanout(List.copyOf(present));
    }

    @Override
    public void started(Chunk chunk, long bytesInFlight) {
        listeners.forEach(l -> l.started(chunk, bytesInFlight));
    }

    @Override
    public void committed(Chunk chunk, int done, int total) {
        listeners.forEach(l -> l.committed(chunk, done, total));
    }

    @Override
    public void committed(ChunkResult result, int done, int total) {
        listeners.forEach(l -> l.committed(result, done, total));
    }

    @Override
    public void workersAlive(int alive) {
        listeners.forEach(l -> l.workersAlive(alive));
    }

    @Override
    public void workerRestarted(long deadPid, long newPid, int restarts) {
        listeners.forEach(l -> l.workerRestarted(deadPid, newPid, restarts));
    }

    @Override
    public void chunkRetried(Chunk chunk, int crashes, long backoffMillis) {
        listeners.forEach(l -> l.chunkRetried(chunk, crashes, backoffMillis));
    }

    @Override
    public void chunkQuarantined(Chunk chunk, int crashes, String lastCrash) {
        listeners.forEach(l -> l.chunkQuarantined(chunk, crashes, lastCrash));
    }
}
