package parlab.stage3.pipeline;

import java.util.Objects;
import java.util.concurrent.ThreadFactory;
import java.util.function.Consumer;

/**
 * How a pipeline runs, besides its stages: the capacity of every queue, ordered or not, where failures go, and
 * what makes the threads.
 */
public record Settings(int capacity, boolean ordered, Consumer<? super StageFailure> errors, ThreadFactory threads) {
    public Settings {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be at least 1, was " + capacity);
        }
        Objects.requireNonNull(errors, "errors");
        Objects.requireNonNull(threads, "threads");
    }
}
