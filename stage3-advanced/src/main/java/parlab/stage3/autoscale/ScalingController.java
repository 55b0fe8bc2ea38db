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
 * <p>Read the time only from the {@link Clock} (never {@code System.nanoTime()}), or the tests' fake time cannot
 * reach you. A controller may be asked from more than one thread.
 *
 * <p>Things to think about: why must the cooldown restart while the pool is busy, not only when it resizes? What
 * would a controller without a cooldown do to a pool under a load that alternates every tick?
 */
public final class ScalingController {
    private final ScalingPolicy policy;
    private final Clock clock;

    public ScalingController(ScalingPolicy policy, Clock clock) {
        this.policy = Objects.requireNonNull(policy, "policy");
        this.clock = Objects.requireNonNull(clock, "clock");
        // TODO: remember the creation time: it counts as the last resize and the last tick under pressure
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
    public int decide(int workers, int queueDepth, Duration oldestWait) {
        // TODO: wanted from the queue depth and the oldest wait, clamped to the bounds (rule 1)
        // TODO: rules 2 to 5, keeping the times of the last resize and of the last tick under pressure
        throw new UnsupportedOperationException("TODO: decide");
    }
}
