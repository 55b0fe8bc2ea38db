package parlab.stage3.mapreduce;

/**
 * Told by the job manager each time it has sent a task to a worker, with the worker's process. Tests use it to
 * watch the schedule and to kill a worker in the middle of its task; a dashboard could use it to draw progress.
 * Called on the manager's own thread: keep it short.
 */
@FunctionalInterface
public interface JobListener {
    JobListener NONE = (worker, task, process) -> { };

    void onAssigned(String worker, Task task, Process process);
}
