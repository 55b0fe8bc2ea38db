package parlab.stage2.deadlocks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;
import static org.junit.jupiter.api.Named.named;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;
import org.awaitility.Awaitility;
import org.jetbrains.lincheck.datastructures.Operation;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import parlab.testing.Checkers;

/**
 * s2e02: both fixed transfers, by stress (many threads, opposite directions, the deadlock watchdog) and by model
 * checking (every interleaving of a few transfers and an audit, deterministic), plus the naive canary.
 */
class TransfersTest {
    /** How a test calls a transfer, so that each test runs against both fixes. */
    @FunctionalInterface
    interface Transfer {
        boolean move(Account from, Account to, long amount) throws InterruptedException;
    }

    static final Duration LOCK_TIMEOUT = Duration.ofMillis(1);

    static Stream<Arguments> fixes() {
        return Stream.of(arguments(named("ordered", (Transfer) Transfers::ordered)),
                arguments(named("withBackoff", (Transfer) (from, to, amount) ->
                        Transfers.withBackoff(from, to, amount, LOCK_TIMEOUT))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("fixes")
    void oppositeTransfersNeverDeadlockAndConserveMoney(Transfer transfer) throws Exception {
        Account a = new Account(1, 1_000_000);
        Account b = new Account(2, 1_000_000);
        int perThread = 2_000; // at most 3 each: every transfer is covered, whatever the interleaving
        CountDownLatch start = new CountDownLatch(1);
        List<Callable<Integer>> movers = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            Account from = t % 2 == 0 ? a : b;
            Account to = from == a ? b : a;
            movers.add(() -> {
                start.await();
                int done = 0;
                for (int i = 0; i < perThread; i++) {
                    done += transfer.move(from, to, 1 + i % 3) ? 1 : 0;
                }
                return done;
            });
        }
        // daemon threads: should a wrong answer deadlock them, the watchdog reports it and they cannot hold the JVM
        var factory = Thread.ofPlatform().daemon(true).name("transfer-worker-", 0).factory();
        List<Future<Integer>> results = new ArrayList<>();
        try (var pool = Executors.newFixedThreadPool(movers.size(), factory)) {
            for (Callable<Integer> mover : movers) {
                results.add(pool.submit(mover));
            }
            start.countDown();
            for (Future<Integer> result : results) {
                assertThat(getOrRethrow(result)).as("transfers that succeeded on one thread (all are covered)")
                        .isEqualTo(perThread);
            }
        }
        assertThat(a.balance() + b.balance()).as("money in the bank after 8,000 concurrent transfers A→B and B→A")
                .isEqualTo(2_000_000);
        assertThat(a.lock().isLocked() || b.lock().isLocked()).as("a lock still held after every transfer ended")
                .isFalse();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("fixes")
    void aTransferTheBalanceDoesNotCoverIsRefused(Transfer transfer) throws Exception {
        Account a = new Account(1, 10);
        Account b = new Account(2, 5);
        assertThat(transfer.move(a, b, 11)).as("moving 11 from an account holding 10").isFalse();
        assertThat(List.of(a.balance(), b.balance())).as("balances after a refused transfer").containsExactly(10L, 5L);
        assertThat(transfer.move(a, b, 10)).as("moving all 10 from an account holding 10").isTrue();
        assertThat(List.of(a.balance(), b.balance())).as("balances after moving 10 from A to B")
                .containsExactly(0L, 15L);
        assertThat(transfer.move(b, a, 15)).as("moving 15 back from B (id 2) to A (id 1)").isTrue();
        assertThat(List.of(a.balance(), b.balance())).as("balances after moving 15 back").containsExactly(15L, 0L);
        assertThat(a.lock().isLocked() || b.lock().isLocked()).as("a lock still held after the transfers").isFalse();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("fixes")
    void aTransferToTheSameAccountIsRejected(Transfer transfer) {
        Account a = new Account(1, 10);
        assertThatThrownBy(() -> transfer.move(a, a, 3)).as("a transfer from account 1 to account 1")
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("same");
        assertThat(a.balance()).as("balance after the rejected transfer to itself").isEqualTo(10);
        assertThat(a.lock().isLocked()).as("lock still held after the rejected transfer").isFalse();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("fixes")
    void aNonPositiveAmountIsRejected(Transfer transfer) {
        Account a = new Account(1, 10);
        Account b = new Account(2, 10);
        for (long amount : new long[] {0, -5}) {
            assertThatThrownBy(() -> transfer.move(a, b, amount)).as("a transfer of %d", amount)
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("amount");
        }
        assertThat(List.of(a.balance(), b.balance())).as("balances after the rejected transfers")
                .containsExactly(10L, 10L);
    }

    @Test
    void withBackoffRejectsANegativeLockTimeout() {
        Account a = new Account(1, 10);
        Account b = new Account(2, 10);
        assertThatThrownBy(() -> Transfers.withBackoff(a, b, 1, Duration.ofMillis(-1))).as("a lock timeout of -1 ms")
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("lockTimeout");
    }

    /**
     * The test thread holds the higher id's lock; a transfer in either direction must then be seen holding the lower
     * id's lock while it queues for the higher one. Over several pairs, an order that is not the id order (an
     * identity hash, the argument order) is caught.
     */
    @Test
    void orderedTakesTheLowerIdsLockFirst() throws Exception {
        for (int pair = 0; pair < 6; pair++) {
            Account low = new Account(10 * pair + 1, 100);
            Account high = new Account(10 * pair + 2, 100);
            boolean lowToHigh = pair % 2 == 0;
            Account from = lowToHigh ? low : high;
            Account to = lowToHigh ? high : low;
            high.lock().lock();
            FutureTask<Boolean> transfer = new FutureTask<>(() -> Transfers.ordered(from, to, 1));
            Thread worker = Thread.ofPlatform().daemon(true).name("transfer-worker").start(transfer);
            try {
                awaitOrFailure(transfer, () -> high.lock().hasQueuedThread(worker));
                assertThat(low.lock().isLocked())
                        .as("transfer %s → %s waits for account %d's lock: does it hold account %d's, the lower id?",
                                from.id(), to.id(), high.id(), low.id())
                        .isTrue();
            } finally {
                high.lock().unlock();
            }
            assertThat(getOrRethrow(transfer)).as("the transfer once the lock was free").isTrue();
        }
    }

    @Test
    void withBackoffEndsWithInterruptedExceptionWhenInterrupted() throws Exception {
        Account a = new Account(1, 100);
        Account b = new Account(2, 100);
        b.lock().lock(); // held by the test for the whole time: the transfer keeps retrying
        FutureTask<Boolean> transfer = new FutureTask<>(() -> Transfers.withBackoff(a, b, 1, LOCK_TIMEOUT));
        Thread worker = Thread.ofPlatform().daemon(true).name("transfer-worker").start(transfer);
        try {
            // waiting for account 2's lock, or pausing between two attempts
            awaitOrFailure(transfer, () -> b.lock().hasQueuedThread(worker)
                    || worker.getState() == Thread.State.TIMED_WAITING);
            worker.interrupt();
            try {
                transfer.get(5, TimeUnit.SECONDS);
                fail("withBackoff returned instead of throwing InterruptedException");
            } catch (ExecutionException ended) {
                if (!(ended.getCause() instanceof InterruptedException)) {
                    throw ended;
                }
            } catch (TimeoutException stillRunning) {
                fail("withBackoff still ran 5 s after its thread was interrupted: an InterruptedException from "
                        + "tryLock or from the pause must end the transfer, not be swallowed");
            }
        } finally {
            b.lock().unlock();
        }
        worker.join();
        assertThat(a.lock().isLocked()).as("account 1's lock held after the interrupted transfer ended").isFalse();
        assertThat(List.of(a.balance(), b.balance())).as("balances after the interrupted transfer")
                .containsExactly(100L, 100L);
    }

    @Test
    @Timeout(value = 2, unit = TimeUnit.MINUTES)
    void orderedIsAtomicAndDeadlockFreeUnderTheModelChecker() throws InterruptedException {
        assertThat(new OrderedBank().aToB()).as("one transfer on its own, before the model check").isTrue();
        modelChecking().check(OrderedBank.class);
    }

    @Test
    @Timeout(value = 2, unit = TimeUnit.MINUTES)
    void withBackoffIsAtomicAndDeadlockFreeUnderTheModelChecker() throws InterruptedException {
        assertThat(new BackoffBank().aToB()).as("one transfer on its own, before the model check").isTrue();
        // the canary first: the same checker must find the naive version's deadlock, or its verdict means nothing
        Checkers.assertRejects("the naive transfer, which locks from and then to",
                () -> modelChecking().check(NaiveBank.class));
        modelChecking().check(BackoffBank.class);
    }

    /** A smaller budget than the default: three operations, and each check stays a few seconds. */
    private static org.jetbrains.lincheck.datastructures.ModelCheckingOptions modelChecking() {
        return Checkers.modelChecking().iterations(10).invocationsPerIteration(300);
    }

    /** Two accounts, transfers both ways, and an audit that reads both balances under both locks (in id order). */
    public abstract static class Bank {
        final Account a = new Account(1, 10);
        final Account b = new Account(2, 5);

        abstract boolean move(Account from, Account to, long amount) throws InterruptedException;

        @Operation
        public boolean aToB() throws InterruptedException {
            return move(a, b, 6);
        }

        @Operation
        public boolean bToA() throws InterruptedException {
            return move(b, a, 4);
        }

        /** Money in the bank, seen atomically: a transfer that lets go of one lock before the other shows up here. */
        @Operation
        public String audit() {
            a.lock().lock();
            try {
                b.lock().lock();
                try {
                    return a.balance() + " + " + b.balance();
                } finally {
                    b.lock().unlock();
                }
            } finally {
                a.lock().unlock();
            }
        }
    }

    public static class OrderedBank extends Bank {
        @Override
        boolean move(Account from, Account to, long amount) {
            return Transfers.ordered(from, to, amount);
        }
    }

    /** With a zero lock timeout: the model checker's clock stands still, so a timed wait would never time out. */
    public static class BackoffBank extends Bank {
        @Override
        boolean move(Account from, Account to, long amount) throws InterruptedException {
            return Transfers.withBackoff(from, to, amount, Duration.ZERO);
        }
    }

    public static class NaiveBank extends Bank {
        @Override
        boolean move(Account from, Account to, long amount) {
            return NaiveTransfers.transfer(from, to, amount);
        }
    }

    /** Waits until {@code condition} holds, or until the task ended (then its failure is rethrown: a TODO, say). */
    static void awaitOrFailure(FutureTask<?> task, BooleanSupplier condition) throws Exception {
        try {
            Awaitility.await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(1))
                    .until(() -> condition.getAsBoolean() || task.isDone());
        } catch (org.awaitility.core.ConditionTimeoutException timeUp) {
            fail("the transfer neither waited for the lock the test holds nor paused between attempts within 5 s");
        }
        if (task.isDone() && !condition.getAsBoolean()) {
            getOrRethrow(task);
        }
    }

    static <T> T getOrRethrow(Future<T> result) throws Exception {
        try {
            return result.get();
        } catch (ExecutionException failed) {
            if (failed.getCause() instanceof Exception exception) {
                throw exception;
            }
            throw (Error) failed.getCause();
        }
    }
}
