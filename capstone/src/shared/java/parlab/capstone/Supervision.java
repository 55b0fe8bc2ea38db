package parlab.capstone;

import java.time.Duration;

/**
 * How worker JVMs are supervised in process mode. A worker that exits, is killed or breaks its pipe has
 * <em>crashed</em>; so has one that sends nothing (not even a heartbeat) for {@code heartbeatTimeout}: it is killed.
 * Either way a new worker takes its place and the chunk it had is tried again, after a back-off that starts at
 * {@code firstBackoff} and doubles with each crash of that chunk, up to {@code maxBackoff}. A chunk that has crashed
 * {@code maxCrashes} workers is quarantined: the run goes on without it and ends with {@link ExitCode#PARTIAL}.
 *
 * @param maxCrashes       crashes of one chunk before it is quarantined (at least 1)
 * @param firstBackoff     the wait before the first retry of a chunk
 * @param maxBackoff       the longest wait before a retry
 * @param heartbeatTimeout silence after which a worker is taken for dead (it sends a heartbeat 4 times as often)
 */
public record Supervision(int maxCrashes, Duration firstBackoff, Duration maxBackoff, Duration heartbeatTimeout) {
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
    }

    public Supervision withMaxCrashes(int crashes) {
        return new Supervision(crashes, firstBackoff, maxBackoff, heartbeatTimeout);
    }
}
