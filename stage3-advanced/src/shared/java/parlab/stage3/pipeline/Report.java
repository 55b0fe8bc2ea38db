package parlab.stage3.pipeline;

import java.util.List;

/**
 * The account of a finished pipeline: items taken from the source, items given to the sink, items that went to the
 * error route instead, and each stage's metrics, in stage order. Nothing is lost: {@code accepted == delivered +
 * failed}.
 */
public record Report(long accepted, long delivered, long failed, List<StageMetrics> stages) {
    public Report {
        stages = List.copyOf(stages);
    }
}
