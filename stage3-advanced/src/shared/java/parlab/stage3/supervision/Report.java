package parlab.stage3.supervision;

import java.util.List;

/**
 * The outcome of one {@link Supervisor#run}: one result per task that completed (in the order they came back),
 * the tasks put in quarantine, and how many times a worker was restarted during the run.
 */
public record Report(List<TaskResult> results, List<Quarantined> quarantined, int restarts) {
    public Report {
        results = List.copyOf(results);
        quarantined = List.copyOf(quarantined);
    }
}
