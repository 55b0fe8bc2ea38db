package parlab.capstone;

import java.nio.file.Path;

/**
 * Everything a run needs, in one place (the CLI builds it; a config file will later too).
 *
 * @param input            the 1BRC file
 * @param db               JDBC URL of the database ({@code jdbc:duckdb:<file>} or {@code jdbc:postgresql://...})
 * @param parallelism      worker threads
 * @param chunkSize        target bytes per chunk (a chunk ends at the first line break at or after it)
 * @param maxBytesInFlight backpressure: the bytes of the chunks handed to workers and not yet committed stay at or
 *                         below this (one chunk is always let through, whatever its size)
 * @param workers          threads, or {@code parallelism} supervised worker JVMs
 * @param supervision      restarts, retries and quarantine of worker JVMs (process mode only)
 */
public record Config(Path input, String db, int parallelism, long chunkSize, long maxBytesInFlight,
        WorkerMode workers, Supervision supervision) {
    public static final long DEFAULT_CHUNK_SIZE = 32L << 20;

    public Config {
        if (parallelism < 1) {
            throw new IllegalArgumentException("parallelism must be at least 1, got " + parallelism);
        }
        if (chunkSize < 1) {
            throw new IllegalArgumentException("chunk size must be at least 1 byte, got " + chunkSize);
        }
        if (maxBytesInFlight < 1) {
            throw new IllegalArgumentException("bytes in flight must be at least 1, got " + maxBytesInFlight);
        }
        java.util.Objects.requireNonNull(workers, "workers");
        java.util.Objects.requireNonNull(supervision, "supervision");
    }

    /** Thread mode. */
    public Config(Path input, String db, int parallelism, long chunkSize, long maxBytesInFlight) {
        this(input, db, parallelism, chunkSize, maxBytesInFlight, WorkerMode.THREADS, Supervision.DEFAULT);
    }

    public Config withWorkers(WorkerMode mode, Supervision policy) {
        return new Config(input, db, parallelism, chunkSize, maxBytesInFlight, mode, policy);
    }

    /**
     * Defaults for the rest: 4 chunks per worker in flight, so that the workers keep chunks queued while the runner
     * holds finished ones to commit together ({@link Runner}).
     */
    public static Config of(Path input, String db, int parallelism, long chunkSize) {
        return new Config(input, db, parallelism, chunkSize, 4L * parallelism * chunkSize);
    }

    public static String defaultDb(Path input) {
        return "jdbc:duckdb:" + input.toAbsolutePath() + ".duckdb";
    }
}
