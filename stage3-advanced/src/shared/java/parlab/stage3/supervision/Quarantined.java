package parlab.stage3.supervision;

/**
 * A task the supervisor stopped retrying because it took down its worker {@code crashes} times in a row: the
 * {@code reason} is what happened the last time (an {@link WorkerEvent.Exited#describe() exit} or a missed
 * heartbeat deadline), so that a human can look at it.
 */
public record Quarantined(Task task, int crashes, String reason) {
}
