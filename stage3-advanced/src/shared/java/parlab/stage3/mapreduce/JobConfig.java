package parlab.stage3.mapreduce;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * How to run a job: how many worker processes, how many reduce partitions, where the intermediate and output files
 * go, and a delay each worker waits before every map task (zero in real use; tests use it to kill a worker mid-map).
 */
public record JobConfig(int workers, int reducers, Path workDir, Duration mapDelay) {
    public JobConfig {
        Objects.requireNonNull(workDir, "workDir");
        Objects.requireNonNull(mapDelay, "mapDelay");
        if (workers < 1) {
            throw new IllegalArgumentException("workers must be at least 1, was " + workers);
        }
        if (reducers < 1) {
            throw new IllegalArgumentException("reducers must be at least 1, was " + reducers);
        }
        if (mapDelay.isNegative()) {
            throw new IllegalArgumentException("mapDelay must not be negative, was " + mapDelay);
        }
    }

    public JobConfig(int workers, int reducers, Path workDir) {
        this(workers, reducers, workDir, Duration.ZERO);
    }
}
