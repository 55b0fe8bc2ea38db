package parlab.capstone;

import java.io.IOException;
import java.sql.Connection;
import java.sql.SQLException;

/**
 * Milestone 4: one run in thread mode. Map the input ({@code FileChannel.map(READ_ONLY, 0, size, arena)}), cut it
 * with {@link Chunker}, skip the chunks that {@link ChunkSink#committed()} reports (their stored partials still count
 * in the result), parse the others with {@link ChunkParser} on {@code config.parallelism()} threads, commit each
 * result with {@link ChunkSink#commit}, tell {@code progress} ({@code started} when a chunk goes to a worker,
 * {@code committed(result, done, total)} after its commit: the metrics count its rows), merge every partial into the final result,
 * {@link ChunkSink#finish} and report.
 *
 * <p>Contract: the result is exact whatever the parallelism, chunk size and number of earlier killed runs; the
 * bytes of chunks handed to workers and not yet committed never exceed {@code config.maxBytesInFlight()} (except
 * that one chunk may always go); only the calling thread touches the connection; every worker thread is ended
 * when this returns or throws.
 */
public final class Runner {
    private Runner() {
    }

    public static RunReport run(Config config, Connection db, Progress progress)
            throws IOException, SQLException, InterruptedException {
        throw new UnsupportedOperationException("TODO: split, parse in a pool with bounded bytes in flight, commit, merge");
    }
}
