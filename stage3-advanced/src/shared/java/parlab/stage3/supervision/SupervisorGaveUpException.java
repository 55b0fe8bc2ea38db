package parlab.stage3.supervision;

import java.time.Duration;

/**
 * Thrown by {@link Supervisor#run} when workers fail faster than the restart intensity limit allows: restarting
 * again would only spin. By the time it is thrown, every worker has been stopped.
 */
public final class SupervisorGaveUpException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final int restarts;

    /**
     * @param restarts    the restarts within the window, counting the one that was refused
     * @param window      the window of the limit
     * @param limit       the most restarts allowed in the window
     * @param lastFailure what made the last worker fail
     */
    public SupervisorGaveUpException(int restarts, Duration window, int limit, String lastFailure) {
        super("supervisor gave up: " + restarts + " restarts needed within " + window.toMillis() + " ms, more than "
                + "the limit of " + limit + "; last failure: " + lastFailure);
        this.restarts = restarts;
    }

    /** The restarts within the window, counting the one that was refused. */
    public int restarts() {
        return restarts;
    }
}
