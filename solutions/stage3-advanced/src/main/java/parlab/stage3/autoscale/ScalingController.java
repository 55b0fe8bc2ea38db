package parlab.stage3.autoscale;

import java.time.Duration;
import java.util.Objects;

/**
 * s3e09 · Autoscaling worker pool, part 1: the decision.
 *
 * <p>A controller looks at a pool once per tick and says how many workers it should have. Growing is urgent (every
 * tick spent under-sized makes the backlog older), shrinking is not (a thread idle for a minute costs little, and a
 * pool that shrinks the moment a burst ends will grow again at the next one: it flaps). So it grows at once and
 * shrinks only after a cooldown. The rules, which the tests check on a fake clock:
 * <ol>
 *   <li>{@code wanted = ceil(queueDepth / queuePerWorker)}; if the oldest waiting task has waited strictly longer
 *       than {@code latencyTarget}, {@code wanted} is at least {@code workers + 1}; then {@code wanted} is clamped to
 *       {@code [minWorkers, maxWorkers]};
 *   <li>a size above {@code maxWorkers} is brought down to {@code maxWorkers} at once (a size below
 *       {@code minWorkers} grows through rule 3);
 *   <li>if {@code wanted > workers}: grow to {@code wanted} now;
 *   <li>if {@code wanted < workers}: shrink to {@code wanted}, but only once at least {@code cooldown} has passed
 *       since the last resize <em>and</em> since the last tick at which the pool was not oversized
 *       ({@code wanted >= workers}); the controller's creation counts as both;
 *   <li>otherwise keep {@code workers}.
 * </ol>
 *
 * <p>Reference solution. {@code decide} is {@code synchronized}: the two timestamps it keeps are read and written
 * together, and a controller may be ticked from a scheduler thread while a test or a dashboard asks it too.
 *
 * <p>Other ways: a proportional controller (the Kubernetes HPA: {@code desired = ceil(current * metric / target)})
 * grows and shrinks by ratios; a step controller adds one worker per tick. Both need the same two guards, bounds
 * and a stabilisation window, or they oscillate.
 */
public final class ScalingController {
    private final ScalingPolicy policy;
    private final Clock clock;
    private long lastResize;   // guarded by this
    private long lastPressure; // guarded by this: the last tick at which the pool was not oversized

    public ScalingController(ScalingPolicy policy, Clock clock) {
        this.policy = Objects.requireNonNull(policy, "policy");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.lastResize = clock.nanoTime();
        this.lastPressure = lastResize;
    }

    public ScalingPolicy policy() {
        return policy;
    }

    /**
     * The number of workers the pool should have now.
     *
     * @param workers    how many workers it has
     * @param queueDepth how many tasks are waiting (not counting the running ones)
     * @param oldestWait how long the oldest waiting task has waited ({@link Duration#ZERO} when none waits)
     */
    public synchronized int decide(int workers, int queueDepth, Duration oldestWait) {
        if (queueDepth < 0) {
            throw new IllegalArgumentException("queueDepth must not be negative, was " + queueDepth);
        }
        long now = clock.nanoTime();
        int wanted = Math.ceilDiv(queueDepth, policy.queuePerWorker());
        if (oldestWait.compareTo(policy.latencyTarget()) > 0) {
            wanted = Math.max(wanted, workers + 1);
        }
        wanted = Math.clamp(wanted, policy.minWorkers(), policy.maxWorkers());
        if (workers > policy.maxWorkers()) {
            lastResize = now;
            return policy.maxWorkers();
        }
        if (wanted >= workers) {
            lastPressure = now;
        }
        if (wanted > workers) {
            lastResize = now;
            return wanted;
        }
        long cooldown = policy.cooldown().toNanos();
        if (wanted < workers && now - lastResize >= cooldown && now - lastPressure >= cooldown) {
            lastResize = now;
            return wanted;
        }
        return workers;
    }
}
