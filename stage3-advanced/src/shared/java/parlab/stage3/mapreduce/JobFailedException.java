package parlab.stage3.mapreduce;

/** The job cannot finish: a task failed (not a worker death, which is survived), or every worker is gone. */
public final class JobFailedException extends Exception {
    public JobFailedException(String message) {
        super(message);
    }
}
