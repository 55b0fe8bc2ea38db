package parlab.stage3.pipeline;

/**
 * What the error route receives: the stage that failed ({@code "sink"} if the sink threw, {@code "source"} if the
 * source did), the item the stage was given (its input; {@code null} for the source), and what it threw.
 */
public record StageFailure(String stage, Object item, Throwable error) {
}
