package parlab.capstone;

import java.io.IOException;

/**
 * One worker that parses chunks, one at a time, for the {@link Supervisor}: in process mode a worker JVM
 * ({@link WorkerProcess}); in tests, a fake. A worker serves one caller at a time (the supervisor hands it to one
 * thread, and takes it back after the call).
 */
public interface Worker extends AutoCloseable {
    /** Made by the supervisor when it needs a new worker; {@link WorkerProcess#factory} starts a JVM. */
    @FunctionalInterface
    interface Factory {
        Worker start() throws IOException;
    }

    /**
     * Parses {@code chunk} in the worker and returns what {@code ChunkParser.parse} would.
     *
     * @throws WorkerCrashedException the worker died, broke its pipe or stopped answering; it is dead now (the
     *                                supervisor decides what comes next)
     */
    ChunkResult parse(Chunk chunk) throws WorkerCrashedException, InterruptedException;

    /** An id for logs and progress: the JVM's process id. */
    long pid();

    /** Ends the worker (a JVM is asked to exit and killed if it does not); idempotent, never throws. */
    @Override
    void close();
}
