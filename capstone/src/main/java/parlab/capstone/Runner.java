package parlab.capstone;

import java.io.IOException;
import java.sql.Connection;
import java.sql.SQLException;

/**
 * Milestone 4: one run in thread mode. Map the input ({@code FileChannel.map(READ_ONLY, 0, size, arena)}), cut it
 * with {@link Chunker}, skip the chunks that {@link ChunkSink#committed()} reports (their stored partials still count
 * in the result), parse the others with {@link ChunkParser} on {@code config.parallelism()} threads, commit the
 * results with {@link ChunkSink#commit(java.util.List)}, tell {@code progress} ({@code started} when a chunk goes to
 * a worker, {@code committed(result, done, total)} for each chunk after its commit: the metrics count its rows),
 * merge every partial into the final result, {@link ChunkSink#finish} and report.
 *
 * <p>Group commit: a transaction has a fixed cost, so finished results are held and committed together while the
 * workers have enough to do. After each finished chunk, commit everything held once no more than
 * {@code config.parallelism()} chunks are handed out and not yet finished (the workers' queue has run dry), or no
 * chunk is left to hand out, or a drain is requested; otherwise hold it. Held results still count in the bytes in
 * flight.
 *
 * <p>Contract: the result is exact whatever the parallelism, chunk size and number of earlier killed runs; the
 * bytes of chunks handed to workers and not yet committed never exceed {@code config.maxBytesInFlight()} (except
 * that one chunk may always go); only the calling thread touches the connection; every worker thread is ended
 * when this returns or throws.
 *
 * <p>Drain (the program requests it on {@code SIGTERM} and Ctrl-C): the three-argument {@code run} is
 * {@code run(config, db, progress, new Drain())}; once {@code drain.requested()}, hand out no chunk, let those in
 * flight commit, and return without {@code finish}, with the number of chunks left in
 * {@link RunReport#unfinished()}.
 *
 * <p>Milestone c02, process mode ({@code config.workers() == PROCESSES}): the pool threads do not parse but call
 * {@link Supervisor#parse} of one {@link Supervisor} of {@code parallelism} worker JVMs
 * ({@code WorkerProcess.factory(config.input(), config.supervision())}, {@code Sleeper.REAL}), closed after the
 * pool; a {@link ChunkQuarantinedException} from a future is not a failure: leave that chunk out, count its bytes
 * out of flight, go on, and list it in {@link RunReport#quarantined()}.
 */
public final class Runner {
    private Runner() {
    }

    public static RunReport run(Config config, Connection db, Progress progress)
            throws IOException, SQLException, InterruptedException {
        throw new UnsupportedOperationException("TODO: split, parse in a pool with bounded bytes in flight, commit, merge");
    }

    /** The same, stopping early when {@code drain} is requested. */
    public static RunReport run(Config config, Connection db, Progress progress, Drain drain)
            throws IOException, SQLException, InterruptedException {
        throw new UnsupportedOperationException("TODO: the same loop, stopping when drain.requested() (and, for"
                + " c02, in process mode through a Supervisor)");
    }
}
