package parlab.stage3.pipeline;

import java.util.Objects;
import java.util.function.Function;

/**
 * One stage as the builder describes it: a name (for metrics and the error route), how many workers run it, and the
 * function they apply to each item. The types were checked by {@link Pipeline}; here every item is an {@code Object}.
 */
public record StageSpec(String name, int parallelism, Function<Object, Object> fn) {
    public StageSpec {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(fn, "fn");
        if (name.isBlank()) {
            throw new IllegalArgumentException("a stage needs a name");
        }
        if (parallelism < 1) {
            throw new IllegalArgumentException("stage " + name + ": parallelism must be at least 1, was "
                    + parallelism);
        }
    }
}
