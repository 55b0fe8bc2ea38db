package parlab.stage3.retry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class RetrierTest {
    static final Predicate<Exception> IO_IS_RETRYABLE = e -> e instanceof IOException;
    /** 100, 200, 400, 800 ms, then 1 s each time; up to 5 calls in a minute. */
    static final RetryPolicy NO_JITTER =
            new RetryPolicy(5, ms(100), 2.0, ms(1000), 0.0, Duration.ofMinutes(1));

    /**
     * The waits of {@code NO_JITTER.withJitter(0.5)} with 6 attempts and {@code new Random(42)}: each is
     * {@code e * (1 - 0.5 * u)} for e = 100, 200, 400, 800, 1000 ms and the generator's next double u.
     */
    static final List<Duration> SEED_42_WAITS = List.of(
            Duration.ofNanos(63_621_816), Duration.ofNanos(131_677_653), Duration.ofNanos(338_256_109),
            Duration.ofNanos(689_168_604), Duration.ofNanos(667_225_524));

    static Duration ms(long millis) {
        return Duration.ofMillis(millis);
    }

    /**
     * Fake time: a clock that only moves when someone sleeps (or calls {@link #advance}), and a sleeper that records
     * every wait instead of waiting. Like {@code Thread.sleep}, it throws if the thread is interrupted.
     */
    static final class FakeTime implements Clock, Sleeper {
        static final int SLEEP_LIMIT = 100;
        final List<Duration> sleeps = new ArrayList<>();
        long now = 1_000_000_000L; // an arbitrary origin: only differences mean something
        int interruptOnSleep = -1; // the 1-based sleep that is interrupted, or -1

        @Override
        public long nanoTime() {
            return now;
        }

        @Override
        public void sleep(Duration duration) throws InterruptedException {
            if (Thread.interrupted()) {
                throw new InterruptedException("interrupted before sleeping");
            }
            if (duration.isNegative()) {
                throw new AssertionError("asked to sleep a negative time: " + duration);
            }
            sleeps.add(duration);
            if (sleeps.size() == interruptOnSleep) {
                throw new InterruptedException("interrupted during sleep " + interruptOnSleep + " (by the test)");
            }
            if (sleeps.size() > SLEEP_LIMIT) {
                throw new AssertionError("the retrier has slept " + sleeps.size() + " times and is still going: it "
                        + "never gives up. It must stop after maxAttempts calls or once maxTotalTime is spent.");
            }
            now += duration.toNanos();
        }

        void advance(Duration duration) {
            now += duration.toNanos();
        }
    }

    /** An operation that throws the given failures one per call, then returns "done"; it counts its calls. */
    static final class Scripted implements Callable<String> {
        final List<Exception> failures;
        final List<Exception> thrown = new ArrayList<>();
        final FakeTime time;
        final Duration callTakes;
        final int callLimit;
        int calls;

        Scripted(FakeTime time, Duration callTakes, int callLimit, List<Exception> failures) {
            this.time = time;
            this.callTakes = callTakes;
            this.callLimit = callLimit;
            this.failures = failures;
        }

        static Scripted failing(FakeTime time, int callLimit, Exception... failures) {
            return new Scripted(time, Duration.ZERO, callLimit, List.of(failures));
        }

        /** Fails with a new IOException on every call. */
        static Scripted alwaysFailing(FakeTime time, Duration callTakes, int callLimit) {
            return new Scripted(time, callTakes, callLimit, null);
        }

        @Override
        public String call() throws Exception {
            calls++;
            if (calls > callLimit) {
                throw new AssertionError("the operation was called " + calls + " times, but the policy allows at "
                        + "most " + callLimit + ": the retrier does not honour its limits (it would retry forever)");
            }
            if (time != null) {
                time.advance(callTakes);
            }
            Exception failure = failures == null ? new IOException("failure " + calls)
                    : calls <= failures.size() ? failures.get(calls - 1) : null;
            if (failure == null) {
                return "done";
            }
            thrown.add(failure);
            throw failure;
        }
    }

    static Retrier retrier(RetryPolicy policy, FakeTime time) {
        return new Retrier(policy, IO_IS_RETRYABLE, time, time, new Random(42));
    }

    @AfterEach
    void clearInterruptStatus() {
        Thread.interrupted(); // so that a test that left it set cannot disturb the next one
    }

    @Test
    void returnsTheFirstSuccessWithoutWaiting() throws Exception {
        FakeTime time = new FakeTime();
        Scripted op = Scripted.failing(time, 5);
        assertThat(retrier(NO_JITTER, time).call(op)).as("the operation's result").isEqualTo("done");
        assertThat(op.calls).as("calls for an operation that succeeds at once").isEqualTo(1);
        assertThat(time.sleeps).as("waits before a first success").isEmpty();
    }

    @Test
    void retriesRetryableFailuresWithExponentialWaits() throws Exception {
        FakeTime time = new FakeTime();
        Scripted op = Scripted.failing(time, 5, new IOException("1"), new IOException("2"), new IOException("3"));
        assertThat(retrier(NO_JITTER, time).call(op)).as("the result after three retryable failures").isEqualTo("done");
        assertThat(op.calls).as("calls: three failures, then the success").isEqualTo(4);
        assertThat(time.sleeps).as("waits before retries 1, 2, 3 (100 ms doubling, no jitter)")
                .containsExactly(ms(100), ms(200), ms(400));
    }

    @Test
    void waitsAreCappedAtMaxDelay() {
        FakeTime time = new FakeTime();
        RetryPolicy policy = new RetryPolicy(8, ms(100), 2.0, ms(1000), 0.0, Duration.ofMinutes(1));
        Scripted op = Scripted.alwaysFailing(time, Duration.ZERO, 8);
        Throwable thrown = catchThrowable(() -> retrier(policy, time).call(op));
        assertThat(thrown).as("what call throws when every attempt fails").isInstanceOf(RetryFailedException.class);
        assertThat(time.sleeps).as("waits: doubling from 100 ms, never above maxDelay = 1 s")
                .containsExactly(ms(100), ms(200), ms(400), ms(800), ms(1000), ms(1000), ms(1000));
    }

    @Test
    void hugeRetryNumbersStayAtMaxDelay() {
        Retrier retrier = retrier(NO_JITTER, new FakeTime());
        assertThat(retrier.delayBeforeRetry(1)).as("the wait before the first retry").isEqualTo(ms(100));
        assertThat(retrier.delayBeforeRetry(200)).as("the wait before retry 200 (2^199 * 100 ms overflows a long)")
                .isEqualTo(ms(1000));
        assertThatThrownBy(() -> retrier.delayBeforeRetry(0)).as("retry 0 (retries count from 1)")
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void jitteredWaitsAreExactForASeed() {
        RetryPolicy policy = new RetryPolicy(6, ms(100), 2.0, ms(1000), 0.5, Duration.ofMinutes(1));
        FakeTime time = new FakeTime();
        Throwable thrown = catchThrowable(() -> retrier(policy, time).call(Scripted.alwaysFailing(time, Duration.ZERO, 6)));
        assertThat(thrown).as("what call throws when every attempt fails").isInstanceOf(RetryFailedException.class);
        assertSameWaits(time.sleeps, SEED_42_WAITS, "waits slept with jitter 0.5 and new Random(42)");

        Retrier fresh = retrier(policy, new FakeTime());
        List<Duration> computed = new ArrayList<>();
        for (int retry = 1; retry <= 5; retry++) {
            computed.add(fresh.delayBeforeRetry(retry));
        }
        assertSameWaits(computed, SEED_42_WAITS, "delayBeforeRetry(1..5) with jitter 0.5 and new Random(42)");
        long[] caps = {100, 200, 400, 800, 1000};
        for (int i = 0; i < caps.length; i++) {
            assertThat(computed.get(i)).as("wait before retry %d: between half of %d ms and %d ms", i + 1, caps[i], caps[i])
                    .isBetween(ms(caps[i] / 2), ms(caps[i]));
        }
    }

    private static void assertSameWaits(List<Duration> actual, List<Duration> expected, String what) {
        assertThat(actual).as(what + ": how many").hasSameSizeAs(expected);
        for (int i = 0; i < expected.size(); i++) {
            assertThat(actual.get(i))
                    .as("%s: wait %d of %s (one random.nextDouble() per retry, e * (1 - jitter * u))", what, i + 1,
                            expected)
                    .isCloseTo(expected.get(i), Duration.ofNanos(1000));
        }
    }

    @Test
    void aFatalFailureEndsTheCallAtOnce() {
        FakeTime time = new FakeTime();
        IllegalStateException fatal = new IllegalStateException("malformed request");
        Scripted op = Scripted.failing(time, 5, fatal);
        Throwable thrown = catchThrowable(() -> retrier(NO_JITTER, time).call(op));
        assertThat(thrown).as("what call throws for a non-retryable failure").isInstanceOf(RetryFailedException.class);
        RetryFailedException failed = (RetryFailedException) thrown;
        assertThat(failed.reason()).as("reason for a non-retryable failure").isEqualTo(RetryFailedException.Reason.FATAL);
        assertThat(failed.attempts()).as("attempts counted").isEqualTo(1);
        assertThat(failed.getCause()).as("the cause: the operation's own exception").isSameAs(fatal);
        assertThat(op.calls).as("calls after a fatal failure").isEqualTo(1);
        assertThat(time.sleeps).as("waits after a fatal failure: none").isEmpty();

        FakeTime later = new FakeTime();
        Scripted lateFatal = Scripted.failing(later, 5, new IOException("1"), new IOException("2"), fatal);
        RetryFailedException afterRetries = (RetryFailedException) catchThrowable(
                () -> retrier(NO_JITTER, later).call(lateFatal));
        assertThat(afterRetries).as("a fatal failure after two retryable ones").isNotNull();
        assertThat(afterRetries.reason()).as("reason").isEqualTo(RetryFailedException.Reason.FATAL);
        assertThat(afterRetries.attempts()).as("attempts counted").isEqualTo(3);
        assertThat(later.sleeps).as("waits: two, none after the fatal failure").containsExactly(ms(100), ms(200));
    }

    @Test
    void givesUpAfterMaxAttemptsWithoutAFinalWait() {
        FakeTime time = new FakeTime();
        RetryPolicy policy = new RetryPolicy(4, ms(100), 2.0, ms(1000), 0.0, Duration.ofMinutes(1));
        Scripted op = Scripted.alwaysFailing(time, Duration.ZERO, 4);
        Throwable thrown = catchThrowable(() -> retrier(policy, time).call(op));
        assertThat(thrown).as("what call throws when all 4 attempts fail").isInstanceOf(RetryFailedException.class);
        RetryFailedException failed = (RetryFailedException) thrown;
        assertThat(failed.reason()).as("reason").isEqualTo(RetryFailedException.Reason.ATTEMPTS_EXHAUSTED);
        assertThat(failed.attempts()).as("attempts counted").isEqualTo(4);
        assertThat(op.calls).as("calls with maxAttempts = 4").isEqualTo(4);
        assertThat(failed.getCause()).as("the cause: the last failure, the operation's own object")
                .isSameAs(op.thrown.getLast());
        assertThat(time.sleeps).as("waits: one between each two calls, none after the last one")
                .containsExactly(ms(100), ms(200), ms(400));
    }

    @Test
    void theTotalTimeLimitIsHonouredOnTheFakeClock() {
        FakeTime time = new FakeTime();
        long start = time.now;
        // each call takes 300 ms; waits 100, 200, 400 ms; at most 1 s from the first call to the start of the last
        RetryPolicy policy = new RetryPolicy(50, ms(100), 2.0, ms(1000), 0.0, ms(1000));
        Scripted op = Scripted.alwaysFailing(time, ms(300), 50);
        Throwable thrown = catchThrowable(() -> retrier(policy, time).call(op));
        assertThat(thrown).as("what call throws when time runs out").isInstanceOf(RetryFailedException.class);
        RetryFailedException failed = (RetryFailedException) thrown;
        assertThat(failed.reason()).as("reason").isEqualTo(RetryFailedException.Reason.TIME_LIMIT);
        // call 1: 0-300 ms, wait to 400; call 2: 400-700, wait to 900; call 3: 900-1200; a 400 ms wait would end at 1600
        assertThat(time.sleeps).as("waits: the third (400 ms) would end after the 1 s budget, so it is not started")
                .containsExactly(ms(100), ms(200));
        assertThat(failed.attempts()).as("attempts made within 1 s").isEqualTo(3);
        assertThat(Duration.ofNanos(time.now - start)).as("fake time spent (time inside the operation counts too)")
                .isEqualTo(ms(1200));
    }

    @Test
    void anInterruptDuringAWaitStopsTheRetries() {
        FakeTime time = new FakeTime();
        time.interruptOnSleep = 2;
        Scripted op = Scripted.alwaysFailing(time, Duration.ZERO, 5);
        Throwable thrown = catchThrowable(() -> retrier(NO_JITTER, time).call(op));
        assertThat(thrown).as("what call throws when its wait is interrupted: the InterruptedException itself, "
                + "neither swallowed nor wrapped").isInstanceOf(InterruptedException.class);
        assertThat(op.calls).as("calls: the interrupt came during the second wait, so no third call").isEqualTo(2);
    }

    @Test
    void anInterruptedOperationIsNeitherRetriedNorWrapped() {
        FakeTime time = new FakeTime();
        InterruptedException interrupt = new InterruptedException("the operation was interrupted");
        Scripted op = Scripted.failing(time, 5, interrupt);
        Retrier retryEverything = new Retrier(NO_JITTER, e -> true, time, time, new Random(42));
        Throwable thrown = catchThrowable(() -> retryEverything.call(op));
        assertThat(thrown).as("what call throws when the operation throws InterruptedException, even though the "
                + "predicate says every exception is retryable").isSameAs(interrupt);
        assertThat(op.calls).as("calls after an interrupt").isEqualTo(1);
        assertThat(time.sleeps).as("waits after an interrupt").isEmpty();
    }

    @Test
    void theInterruptStatusReachesTheRealSleeper() {
        RetryPolicy slow = new RetryPolicy(5, Duration.ofSeconds(10), 2.0, Duration.ofSeconds(10), 0.0,
                Duration.ofMinutes(5));
        Retrier real = new Retrier(slow, IO_IS_RETRYABLE, Clock.system(), Sleeper.system(), new Random(42));
        int[] calls = {0};
        long start = System.nanoTime();
        Throwable thrown = catchThrowable(() -> real.call(() -> {
            calls[0]++;
            Thread.currentThread().interrupt(); // e.g. a blocking read interrupted half-way, reported as an I/O error
            throw new IOException("read interrupted");
        }));
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        assertThat(thrown).as("what call throws when the thread is interrupted before its 10 s wait "
                + "(Thread.sleep throws at once)").isInstanceOf(InterruptedException.class);
        assertThat(calls[0]).as("calls made by an interrupted retrier").isEqualTo(1);
        assertThat(took).as("time taken: the 10 s wait must not happen").isLessThan(Duration.ofSeconds(5));
    }

    @Test
    void errorsAreNeitherRetriedNorWrapped() {
        FakeTime time = new FakeTime();
        InternalError boom = new InternalError("a bug, not a transient failure");
        int[] calls = {0};
        Retrier retryEverything = new Retrier(NO_JITTER, e -> true, time, time, new Random(42));
        Throwable thrown = catchThrowable(() -> retryEverything.call(() -> {
            calls[0]++;
            throw boom;
        }));
        assertThat(thrown).as("what call throws when the operation throws an Error: that Error, as is").isSameAs(boom);
        assertThat(calls[0]).as("calls after an Error").isEqualTo(1);
        assertThat(time.sleeps).as("waits after an Error").isEmpty();
    }

    @Test
    void deadLettersKeepEveryItemGivenUpOn() throws Exception {
        FakeTime time = new FakeTime();
        RetryPolicy policy = new RetryPolicy(4, ms(100), 2.0, ms(1000), 0.0, Duration.ofMinutes(1));
        List<Integer> items = List.of(1, 2, 3, 4, 5, 6, 7);
        int[] calls = new int[items.size() + 1];
        List<String> handled = new ArrayList<>();
        List<DeadLetter<Integer>> dead = new ArrayList<>();
        int succeeded = retrier(policy, time).runAll(items, item -> {
            calls[item]++;
            if (calls[item] > 4) {
                throw new AssertionError("item " + item + " was tried " + calls[item] + " times with maxAttempts = 4");
            }
            if (item % 3 == 0) {
                throw new IllegalArgumentException("item " + item + " is malformed");  // fatal
            }
            if (item == 5 || calls[item] == 1) {
                throw new IOException("item " + item + " timed out on call " + calls[item]); // 5 always fails
            }
            handled.add("item " + item);
        }, dead::add);
        assertThat(handled).as("items handled, in order, each after one retry")
                .containsExactly("item 1", "item 2", "item 4", "item 7");
        assertThat(succeeded).as("the count runAll returns").isEqualTo(4);
        assertThat(dead).as("dead letters: the two malformed items and the one that kept timing out")
                .extracting(DeadLetter::item, DeadLetter::reason, DeadLetter::attempts)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple(3, RetryFailedException.Reason.FATAL, 1),
                        org.assertj.core.groups.Tuple.tuple(5, RetryFailedException.Reason.ATTEMPTS_EXHAUSTED, 4),
                        org.assertj.core.groups.Tuple.tuple(6, RetryFailedException.Reason.FATAL, 1));
        assertThat(dead.get(1).lastFailure()).as("item 5's dead letter keeps its last failure")
                .hasMessage("item 5 timed out on call 4");
    }

    @Test
    void anInterruptStopsTheWholeBatch() {
        FakeTime time = new FakeTime();
        time.interruptOnSleep = 2; // the first retry of item 2
        List<Integer> seen = new ArrayList<>();
        List<DeadLetter<Integer>> dead = new ArrayList<>();
        Throwable thrown = catchThrowable(() -> retrier(NO_JITTER, time).runAll(List.of(1, 2, 3, 4), item -> {
            seen.add(item);
            if (seen.size() <= 1 || item == 2) {
                throw new IOException("item " + item + " timed out");
            }
        }, dead::add));
        assertThat(thrown).as("runAll returned normally although a wait was interrupted: the interrupt was "
                + "swallowed").isNotNull();
        assertThat(thrown).as("what runAll throws when interrupted: the InterruptedException itself")
                .isInstanceOf(InterruptedException.class);
        assertThat(seen).as("calls: item 1 twice, item 2 once, then the interrupt; items 3 and 4 never")
                .containsExactly(1, 1, 2);
        assertThat(dead).as("dead letters: an interrupted item did not fail, it was stopped").isEmpty();
    }
}
