package parlab.stage3.metrics;

/** One unit of work for s3e05's workers: an id for the logs and the metrics, and the work itself. */
public record Task(String id, Runnable work) {
    public Task {
        if (id == null || id.isBlank() || work == null) {
            throw new IllegalArgumentException("a task needs an id and some work");
        }
    }
}
