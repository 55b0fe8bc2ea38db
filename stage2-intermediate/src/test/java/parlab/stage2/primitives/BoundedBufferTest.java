package parlab.stage2.primitives;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static parlab.stage2.primitives.Waiting.awaitOrFail;
import static parlab.stage2.primitives.Waiting.getWithin5s;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import org.jetbrains.lincheck.datastructures.Operation;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import parlab.testing.Checkers;

class BoundedBufferTest {

    @Test
    void itemsComeOutInOrderAndNeverMoreThanCapacity() {
        BoundedBuffer<String> buffer = new BoundedBuffer<>(3);
        assertThat(buffer.capacity()).as("capacity()").isEqualTo(3);
        assertThat(List.of(buffer.offer("a"), buffer.offer("b"), buffer.offer("c"))).as("offers into room for 3")
                .containsOnly(true);
        assertThat(buffer.offer("d")).as("offer into a full buffer").isFalse();
        assertThat(buffer.size()).as("size of a full buffer of 3").isEqualTo(3);
        assertThat(buffer.poll()).as("first poll").isEqualTo("a");
        assertThat(buffer.poll()).as("second poll").isEqualTo("b");
        assertThat(buffer.offer("d")).as("offer after two polls").isTrue();
        assertThat(Arrays.asList(buffer.poll(), buffer.poll(), buffer.poll())).as("the rest, in order (the ring wraps)")
                .containsExactly("c", "d", null);
        assertThat(buffer.size()).as("size of an empty buffer").isZero();
    }

    @Test
    void badArgumentsAreRejected() {
        assertThatThrownBy(() -> new BoundedBuffer<String>(0)).as("capacity 0")
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("capacity");
        BoundedBuffer<String> buffer = new BoundedBuffer<>(2);
        assertThatThrownBy(() -> buffer.offer(null)).as("offer(null)").isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> buffer.put(null)).as("put(null)").isInstanceOf(NullPointerException.class);
        assertThat(buffer.size()).as("size after rejected nulls").isZero();
    }

    @Test
    void aTakeWaitingOnAnEmptyBufferIsWokenByPut() throws Exception {
        BoundedBuffer<String> buffer = new BoundedBuffer<>(1);
        FutureTask<String> taker = new FutureTask<>(buffer::take);
        Thread thread = Thread.ofPlatform().daemon(true).name("taker").start(taker);
        awaitOrFail("take() parked on the empty buffer", List.of(taker), () -> Waiting.blocked(thread));
        buffer.put("x");
        assertThat(getWithin5s(taker, "take() after put(\"x\"): lost wake-up (which condition does put signal?)"))
                .as("the item take() got").isEqualTo("x");
        assertThat(buffer.size()).as("size after put and take").isZero();
    }

    @Test
    void aPutWaitingOnAFullBufferIsWokenByTake() throws Exception {
        BoundedBuffer<String> buffer = new BoundedBuffer<>(1);
        buffer.put("first");
        FutureTask<Boolean> putter = new FutureTask<>(() -> {
            buffer.put("second");
            return true;
        });
        Thread thread = Thread.ofPlatform().daemon(true).name("putter").start(putter);
        awaitOrFail("put() parked on the full buffer", List.of(putter), () -> Waiting.blocked(thread));
        assertThat(buffer.size()).as("size of a full buffer of 1 while a put waits").isEqualTo(1);
        assertThat(buffer.take()).as("take() from the full buffer").isEqualTo("first");
        getWithin5s(putter, "put() after take(): lost wake-up (which condition does take signal?)");
        assertThat(buffer.take()).as("the waiting putter's item").isEqualTo("second");
    }

    @Test
    void manyProducersAndConsumersLoseNothing() throws Exception {
        BoundedBuffer<Integer> buffer = new BoundedBuffer<>(2);
        int perThread = 1_000;
        List<FutureTask<Long>> tasks = new ArrayList<>();
        for (int p = 0; p < 3; p++) {
            int base = p * perThread;
            tasks.add(Waiting.start("producer-" + p, () -> {
                for (int i = 0; i < perThread; i++) {
                    try {
                        buffer.put(base + i);
                    } catch (IndexOutOfBoundsException e) {
                        throw outOfRange("put", e);
                    }
                }
                return 0L;
            }));
        }
        for (int c = 0; c < 3; c++) {
            tasks.add(Waiting.start("consumer-" + c, () -> {
                long sum = 0;
                for (int i = 0; i < perThread; i++) {
                    Integer item;
                    try {
                        item = buffer.take();
                    } catch (IndexOutOfBoundsException e) {
                        throw outOfRange("take", e);
                    }
                    assertThat(item).as("take() returned null: a woken taker went on without looking again whether "
                            + "the buffer still held an item (while, not if)").isNotNull();
                    sum += item;
                }
                return sum;
            }));
        }
        long taken = 0;
        for (FutureTask<Long> task : tasks) {
            taken += Waiting.getWithin(10, task, "3 producers and 3 consumers on a buffer of 2: a put or take that is never "
                    + "woken (lost wake-up)");
        }
        long n = 3L * perThread;
        assertThat(taken).as("sum of every item taken: each of 0 .. %d exactly once", n - 1).isEqualTo(n * (n - 1) / 2);
        assertThat(buffer.size()).as("size after as many takes as puts").isZero();
    }

    /** An index out of range inside the buffer: its count went below 0 or past the capacity. Why, in words. */
    private static AssertionError outOfRange(String call, IndexOutOfBoundsException e) {
        return new AssertionError(call + "() failed with " + e + ": the buffer's count went below 0 or past its"
                + " capacity, which happens when a thread woken from await() goes on without looking again whether"
                + " it may (while, not if), in put or in take", e);
    }

    @Test
    void aTakeThatIsInterruptedThrowsAndLeavesTheBufferAsItWas() throws Exception {
        BoundedBuffer<String> buffer = new BoundedBuffer<>(1);
        FutureTask<String> taker = new FutureTask<>(buffer::take);
        Thread thread = Thread.ofPlatform().daemon(true).name("taker").start(taker);
        awaitOrFail("take() parked on the empty buffer", List.of(taker), () -> Waiting.blocked(thread));
        thread.interrupt();
        assertThatThrownBy(() -> getWithin5s(taker, "the interrupted take()")).as("take() interrupted")
                .isInstanceOf(InterruptedException.class);
        assertThat(buffer.offer("y")).as("offer after the interrupted take").isTrue();
        assertThat(buffer.poll()).as("poll after the interrupted take").isEqualTo("y");
    }

    @Test
    @Timeout(value = 2, unit = TimeUnit.MINUTES)
    void offerPollAndSizeAreAtomicUnderTheModelChecker() {
        Capacity1 alone = new Capacity1();
        assertThat(List.of(alone.offerA(), alone.offerB())).as("two offers into a buffer of 1, alone")
                .containsExactly(true, false);
        // the canary first: the same checker must reject a check-then-act outside the lock
        Checkers.assertRejects("a buffer whose offer checks the count before taking the lock",
                () -> Checkers.modelChecking().check(UnlockedCapacity1.class));
        Checkers.modelChecking().check(Capacity1.class);
    }

    /** The buffer under the model checker: capacity 1, so that two offers race for one slot. */
    public static class Capacity1 {
        final BoundedBuffer<String> buffer = new BoundedBuffer<>(1);

        @Operation
        public boolean offerA() {
            return buffer.offer("a");
        }

        @Operation
        public boolean offerB() {
            return buffer.offer("b");
        }

        @Operation
        public String poll() {
            return buffer.poll();
        }

        @Operation
        public int size() {
            return buffer.size();
        }
    }

    public static class UnlockedCapacity1 {
        final UnlockedCheckBuffer buffer = new UnlockedCheckBuffer(1);

        @Operation
        public boolean offerA() {
            return buffer.offer("a");
        }

        @Operation
        public boolean offerB() {
            return buffer.offer("b");
        }

        @Operation
        public Object poll() {
            return buffer.poll();
        }

        @Operation
        public int size() {
            return buffer.size();
        }
    }
}
