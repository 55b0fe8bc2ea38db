package parlab.capstone;

/**
 * {@link Supervisor#parse} gave up on a chunk: it crashed {@code crashes} workers in a row (always the same chunk:
 * likely a bug or a resource limit that input triggers). The runner records it and goes on without it.
 */
public final class ChunkQuarantinedException extends Exception {
    private final transient Chunk chunk;
    private final int crashes;

    public ChunkQuarantinedException(Chunk chunk, int crashes, Throwable lastCrash) {
        super("chunk " + chunk.id() + " [" + chunk.start() + ", " + chunk.end() + ") crashed " + crashes
                + " worker(s); last: " + (lastCrash == null ? "?" : lastCrash.getMessage()), lastCrash);
        this.chunk = chunk;
        this.crashes = crashes;
    }

    public Chunk chunk() {
        return chunk;
    }

    public int crashes() {
        return crashes;
    }
}
