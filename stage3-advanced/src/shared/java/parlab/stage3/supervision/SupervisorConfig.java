package parlab.stage3.supervision;

import java.time.Duration;
import java.util.Objects;

/**
 * How a {@link Supervisor} behaves.
 *
 * @param workers            how many worker JVMs run at once (one task each at a time)
 * @param heartbeatTimeout   a busy worker with no sign of life (task sent, started, heartbeat) for longer than
 *                           this is considered hung: it is killed and replaced
 * @param maxRestarts        the restart intensity limit: at most this many restarts ...
 * @param restartWindow      ... within any window of this length; one more and the supervisor gives up
 * @param maxCrashesPerTask  a task whose worker crashed (or hung) this many times goes to quarantine
 * @param tick               how long the supervisor waits for an event before it looks at the deadlines again
 */
public record SupervisorConfig(int workers, Duration heartbeatTimeout, int maxRestarts, Duration restartWindow,
        int maxCrashesPerTask, Duration tick) {
    public SupervisorConfig {
        Objects.requireNonNull(heartbeatTimeout, "heartbeatTimeout");
        Objects.requireNonNull(restartWindow, "restartWindow");
        Objects.requireNonNull(tick, "tick");
        if (workers < 1) {
            throw new IllegalArgumentException("workers must be at least 1, not " + workers);
        }
        if (maxRestarts < 0 || maxCrashesPerTask < 1) {
            throw new IllegalArgumentException("maxRestarts must be >= 0 and maxCrashesPerTask >= 1, not "
                    + maxRestarts + " and " + maxCrashesPerTask);
        }
        if (!heartbeatTimeout.isPositive() || !restartWindow.isPositive() || !tick.isPositive()) {
            throw new IllegalArgumentException("heartbeatTimeout, restartWindow and tick must be positive");
        }
    }

    /**
     * {@code workers} workers, hung after 5 s of silence, at most 5 restarts in 10 s, quarantine after 3 crashes,
     * deadlines checked every 20 ms.
     */
    public static SupervisorConfig defaults(int workers) {
        return new SupervisorConfig(workers, Duration.ofSeconds(5), 5, Duration.ofSeconds(10), 3,
                Duration.ofMillis(20));
    }

    public SupervisorConfig withHeartbeatTimeout(Duration timeout) {
        return new SupervisorConfig(workers, timeout, maxRestarts, restartWindow, maxCrashesPerTask, tick);
    }

    public SupervisorConfig withRestartIntensity(int restarts, Duration window) {
        return new SupervisorConfig(workers, heartbeatTimeout, restarts, window, maxCrashesPerTask, tick);
    }

    public SupervisorConfig withMaxCrashesPerTask(int crashes) {
        return new SupervisorConfig(workers, heartbeatTimeout, maxRestarts, restartWindow, crashes, tick);
    }
}
