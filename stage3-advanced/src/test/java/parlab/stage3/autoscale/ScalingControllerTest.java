package parlab.stage3.autoscale;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class ScalingControllerTest {
    /** 1 to 8 workers, one per 10 waiting tasks, oldest wait up to 500 ms, 30 s before shrinking. */
    static final ScalingPolicy POLICY = new ScalingPolicy(1, 8, 10, Duration.ofMillis(500), Duration.ofSeconds(30));

    /** A clock that moves only when the test says so; safe to read from any thread. */
    static final class FakeClock implements Clock {
        private final AtomicLong now = new AtomicLong(5_000_000_000L); // an arbitrary origin

        @Override
        public long nanoTime() {
            return now.get();
        }

        void advance(Duration duration) {
            now.addAndGet(duration.toNanos());
        }
    }

    static Duration seconds(long s) {
        return Duration.ofSeconds(s);
    }

    @Test
    void growsAtOnceOnABacklog() {
        ScalingController controller = new ScalingController(POLICY, new FakeClock());
        assertThat(controller.decide(1, 55, Duration.ZERO)).as("workers for 55 waiting tasks at 10 per worker")
                .isEqualTo(6);
        assertThat(controller.decide(6, 60, Duration.ZERO)).as("workers for 60 waiting tasks with 6 workers")
                .isEqualTo(6);
        assertThat(controller.decide(6, 61, Duration.ZERO)).as("workers for 61 waiting tasks (round up)").isEqualTo(7);
        assertThat(controller.decide(7, 5_000, Duration.ZERO)).as("workers for 5,000 waiting tasks: maxWorkers = 8")
                .isEqualTo(8);
    }

    @Test
    void growsOneWorkerPerTickWhileTheOldestTaskWaitsTooLong() {
        ScalingController controller = new ScalingController(POLICY, new FakeClock());
        int workers = 1;
        int[] sizes = new int[9];
        for (int tick = 0; tick < sizes.length; tick++) {
            workers = controller.decide(workers, 3, Duration.ofSeconds(2));
            sizes[tick] = workers;
        }
        assertThat(sizes).as("sizes over 9 ticks with 3 waiting tasks whose oldest has waited 2 s (target 500 ms): "
                + "one more worker per tick, up to maxWorkers").containsExactly(2, 3, 4, 5, 6, 7, 8, 8, 8);
        assertThat(new ScalingController(POLICY, new FakeClock()).decide(3, 3, Duration.ofMillis(500)))
                .as("workers when the oldest wait equals the target exactly (only a longer wait counts)").isEqualTo(3);
    }

    @Test
    void neverShrinksBeforeTheCooldown() {
        FakeClock clock = new FakeClock();
        ScalingController controller = new ScalingController(POLICY, clock);
        assertThat(controller.decide(1, 55, Duration.ZERO)).as("size after a backlog of 55").isEqualTo(6);
        for (int s = 1; s < 30; s++) {
            clock.advance(seconds(1));
            assertThat(controller.decide(6, 0, Duration.ZERO))
                    .as("size %d s after growing to 6, with an empty queue (cooldown 30 s)", s).isEqualTo(6);
        }
        clock.advance(seconds(1));
        assertThat(controller.decide(6, 0, Duration.ZERO)).as("size 30 s after growing, queue empty: the minimum")
                .isEqualTo(1);
    }

    @Test
    void theCooldownRestartsWhileThePoolIsBusy() {
        FakeClock clock = new FakeClock();
        ScalingController controller = new ScalingController(POLICY, clock);
        assertThat(controller.decide(1, 55, Duration.ZERO)).as("size at 0 s, 55 waiting").isEqualTo(6);
        clock.advance(seconds(20));
        assertThat(controller.decide(6, 60, Duration.ZERO)).as("size at 20 s, 60 waiting: 6 are all needed")
                .isEqualTo(6);
        clock.advance(seconds(20));
        assertThat(controller.decide(6, 0, Duration.ZERO))
                .as("size at 40 s, queue empty: only 20 s since the pool was last fully needed (cooldown 30 s)")
                .isEqualTo(6);
        clock.advance(seconds(9));
        assertThat(controller.decide(6, 0, Duration.ZERO)).as("size at 49 s").isEqualTo(6);
        clock.advance(seconds(1));
        assertThat(controller.decide(6, 0, Duration.ZERO)).as("size at 50 s: 30 s since the pool was last needed")
                .isEqualTo(1);
    }

    @Test
    void shrinksToWhatTheQueueNeedsAndWaitsAgainBeforeTheNextStep() {
        FakeClock clock = new FakeClock();
        ScalingController controller = new ScalingController(POLICY, clock);
        assertThat(controller.decide(1, 80, Duration.ZERO)).as("size for 80 waiting").isEqualTo(8);
        clock.advance(seconds(30));
        assertThat(controller.decide(8, 25, Duration.ZERO)).as("size 30 s later for 25 waiting: 3, not the minimum")
                .isEqualTo(3);
        clock.advance(seconds(29));
        assertThat(controller.decide(3, 0, Duration.ZERO)).as("size 29 s after shrinking to 3: a resize restarts "
                + "the cooldown").isEqualTo(3);
        clock.advance(seconds(1));
        assertThat(controller.decide(3, 0, Duration.ZERO)).as("size 30 s after shrinking to 3").isEqualTo(1);
    }

    @Test
    void theControllersCreationStartsTheFirstCooldown() {
        FakeClock clock = new FakeClock();
        ScalingController controller = new ScalingController(POLICY, clock);
        clock.advance(seconds(10));
        assertThat(controller.decide(4, 0, Duration.ZERO)).as("size 10 s after the controller was made").isEqualTo(4);
        clock.advance(seconds(20));
        assertThat(controller.decide(4, 0, Duration.ZERO)).as("size 30 s after the controller was made").isEqualTo(1);
    }

    @Test
    void aSizeOutsideTheBoundsIsCorrectedAtOnce() {
        ScalingController controller = new ScalingController(POLICY, new FakeClock());
        assertThat(controller.decide(12, 0, Duration.ZERO)).as("12 workers with maxWorkers = 8, inside the cooldown")
                .isEqualTo(8);
        ScalingController other = new ScalingController(
                new ScalingPolicy(2, 8, 10, Duration.ofMillis(500), Duration.ofSeconds(30)), new FakeClock());
        assertThat(other.decide(0, 0, Duration.ZERO)).as("0 workers with minWorkers = 2").isEqualTo(2);
    }

    @Test
    void staysWithinItsBoundsAndItsCooldownOnARandomLoad() {
        FakeClock clock = new FakeClock();
        ScalingPolicy policy = new ScalingPolicy(2, 6, 10, Duration.ofMillis(500), Duration.ofSeconds(30));
        ScalingController controller = new ScalingController(policy, clock);
        Random random = new Random(7);
        int workers = 2;
        long lastChange = clock.nanoTime();
        for (int tick = 0; tick < 5_000; tick++) {
            clock.advance(Duration.ofMillis(random.nextInt(5_000)));
            int queue = random.nextInt(10) < 7 ? random.nextInt(5) : random.nextInt(200);
            Duration oldest = Duration.ofMillis(random.nextInt(1_000));
            int decided = controller.decide(workers, queue, oldest);
            assertThat(decided).as("tick %d: size for %d workers, %d waiting, oldest %s", tick, workers, queue, oldest)
                    .isBetween(2, 6);
            if (decided < workers) {
                assertThat(Duration.ofNanos(clock.nanoTime() - lastChange))
                        .as("tick %d: time between the previous resize and a shrink from %d to %d", tick, workers,
                                decided)
                        .isGreaterThanOrEqualTo(Duration.ofSeconds(30));
            }
            if (decided != workers) {
                lastChange = clock.nanoTime();
            }
            workers = decided;
        }
    }
}
