package parlab.capstone;

import java.time.Duration;

/**
 * How worker JVMs are supervised in process mode. A worker that exits, is killed or breaks its pipe has
 * <em>crashed</em>; so has one that sends nothing (not even a heartbeat) for {@code heartbeatTimeout}: it is killed.
 * Either way a new worker takes its place and the chunk it had is tried again, after a back-off that starts at
 * {@code firstBackoff} and doubles with each crash of that chunk, up to {@code maxBackoff}. A chunk that has crashed
 * {@code maxCrashes} workers is quarantined: the run goes on without it and ends with {@link ExitCode#PARTIAL}.
 *
 * <p>The pool's size follows the load between two bounds: it starts with {@code minWorkers} workers, starts another
 * whenever a chunk finds none idle and fewer than the maximum (the run's {@code --parallelism}) are alive, and
 * ends a worker that has been idle for {@code idleTimeout} while more than {@code minWorkers} are alive. Idle
 * workers are lent most recently used first, so that when the load drops the spare ones are the ones left idle.
 *
 * @param maxCrashes       crashes of one chunk before it is quarantined (at least 1)
 * @param firstBackoff     the wait before the first retry of a chunk
 * @param maxBackoff       the longest wait before a retry
 * @param heartbeatTimeout silence after which a worker is taken for dead (it sends a heartbeat 4 times as often)
 * @param minWorkers       workers kept alive however idle (at least 1; a pool's maximum caps it)
 * @param idleTimeout      idle time after which a worker beyond {@code minWorkers} is ended
 */
public record Supervision(int maxCrashes, Duration firstBackoff, Duration maxBackoff, Duration heartbeatTimeout,
        int minWorkers, Duration idleTimeout) {
    public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofSeconds(5);
    public static final Supervision DEFAULT = new Supervision(3, Duration.ofMillis(50), Duration.ofSeconds(1),
            Duration.ofSeconds(10));

    public Supervision {
        if (maxCrashes < 1) {
            throw new IllegalArgumentException("max crashes must be at least 1, got " + maxCrashes);
        }
        if (firstBackoff.isNegative() || maxBackoff.compareTo(firstBackoff) < 0) {
            throw new IllegalArgumentException("back-off must satisfy 0 <= first <= max, got " + firstBackoff
                    + " and " + maxBackoff);
        }
        if (heartbeatTimeout.toMillis() < 100) {
            throw new IllegalArgumentException("heartbeat timeout must be at least 100 ms, got " + heartbeatTimeout);
        }
        if (minWorkers < 1) {
            throw new IllegalArgumentException("min workers must be at least 1, got " + minWorkers);
        }
        if (idleTimeout.isNegative()) {
            throw new IllegalArgumentException("idle timeout must not be negative, got " + idleTimeout);
        }
    }

    /** A pool that starts with one worker and ends spare ones after {@link #DEFAULT_IDLE_TIMEOUT}. */
    public Supervision(int maxCrashes, Duration firstBackoff, Duration maxBackoff, Duration heartbeatTimeout) {
        this(maxCrashes, firstBackoff, maxBackoff, heartbeatTimeout, 1, DEFAULT_IDLE_TIMEOUT);
    }

    public Supervision withMaxCrashes(int crashes) {
        return new Supervision(crashes, firstBackoff, maxBackoff, heartbeatTimeout, minWorkers, idleTimeout);
    }

    public Supervision withPool(int min, Duration idle) {
        return new Supervision(maxCrashes, firstBackoff, maxBackoff, heartbeatTimeout, min, idle);
    }
}
