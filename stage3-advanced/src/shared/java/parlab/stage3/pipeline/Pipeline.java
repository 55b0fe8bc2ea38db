package parlab.stage3.pipeline;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ThreadFactory;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * The builder of a multi-stage pipeline; the running is done by {@link PipelineRun}.
 *
 * <pre>{@code
 * try (PipelineRun run = Pipeline.from(lines)
 *         .stage("parse", 2, Record::parse)
 *         .stage("enrich", 4, enricher::lookup)
 *         .capacity(64).ordered().onError(failures::add)
 *         .to(writer::write)) {
 *     Report report = run.await();
 * }
 * }</pre>
 *
 * Each call returns a new, immutable builder, so a half-built pipeline can be reused. {@code T} is the type of the
 * items the pipeline built so far puts out.
 */
public final class Pipeline<T> {
    private static final int DEFAULT_CAPACITY = 16;
    private final Iterator<?> source;
    private final List<StageSpec> stages;
    private final Settings settings;

    private Pipeline(Iterator<?> source, List<StageSpec> stages, Settings settings) {
        this.source = source;
        this.stages = List.copyOf(stages);
        this.settings = settings;
    }

    /** A pipeline that reads {@code source}, on a thread of its own, once it is started by {@link #to}. */
    public static <T> Pipeline<T> from(Iterator<? extends T> source) {
        return new Pipeline<>(Objects.requireNonNull(source, "source"), List.of(), new Settings(DEFAULT_CAPACITY,
                false, failure -> { }, Thread.ofPlatform().name("pipeline-", 0).factory()));
    }

    /** Adds a stage: {@code parallelism} workers apply {@code fn} to every item. Stage names must be unique. */
    @SuppressWarnings("unchecked")
    public <R> Pipeline<R> stage(String name, int parallelism, Function<? super T, ? extends R> fn) {
        StageSpec spec = new StageSpec(name, parallelism, (Function<Object, Object>) (Function<?, ?>) fn);
        if (stages.stream().anyMatch(s -> s.name().equals(name)) || name.equals("sink") || name.equals("source")) {
            throw new IllegalArgumentException("a stage named " + name + " exists already");
        }
        List<StageSpec> more = new ArrayList<>(stages);
        more.add(spec);
        return new Pipeline<>(source, more, settings);
    }

    /** Every queue (one in front of each stage, one in front of the sink) holds at most this many items. */
    public Pipeline<T> capacity(int capacity) {
        return new Pipeline<>(source, stages, new Settings(capacity, settings.ordered(), settings.errors(),
                settings.threads()));
    }

    /** The sink receives the items in source order (failed items are skipped, not waited for). */
    public Pipeline<T> ordered() {
        return new Pipeline<>(source, stages, new Settings(settings.capacity(), true, settings.errors(),
                settings.threads()));
    }

    /** Where failed items go; may be called from several threads at once. By default they are only counted. */
    public Pipeline<T> onError(Consumer<? super StageFailure> errors) {
        return new Pipeline<>(source, stages, new Settings(settings.capacity(), settings.ordered(), errors,
                settings.threads()));
    }

    /** What makes the pipeline's threads (by default, platform threads named pipeline-0, pipeline-1, ...). */
    public Pipeline<T> threads(ThreadFactory factory) {
        return new Pipeline<>(source, stages, new Settings(settings.capacity(), settings.ordered(), settings.errors(),
                factory));
    }

    /** Starts the pipeline, ending in {@code sink}, and returns at once. */
    @SuppressWarnings("unchecked")
    public PipelineRun to(Consumer<? super T> sink) {
        Consumer<Object> untyped = (Consumer<Object>) (Consumer<?>) Objects.requireNonNull(sink, "sink");
        return PipelineRun.start(source, stages, untyped, settings);
    }
}
