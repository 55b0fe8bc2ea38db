package parlab.stage3.supervision;

/** What a worker answered for a task: the value, and on which attempt (1 = the first time it was sent). */
public record TaskResult(String taskId, String value, int attempt) {
}
