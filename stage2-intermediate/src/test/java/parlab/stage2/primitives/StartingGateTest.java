package parlab.stage2.primitives;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static parlab.stage2.primitives.Waiting.awaitOrFail;
import static parlab.stage2.primitives.Waiting.getWithin5s;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.FutureTask;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class StartingGateTest {

    @Test
    void nobodyPassesBeforeOpenAndOneOpenReleasesEveryone() throws Exception {
        StartingGate gate = new StartingGate();
        AtomicInteger passed = new AtomicInteger();
        List<Thread> workers = new ArrayList<>();
        List<FutureTask<Integer>> runs = new ArrayList<>();
        for (int w = 0; w < 6; w++) {
            FutureTask<Integer> run = new FutureTask<>(() -> {
                gate.await();
                return passed.incrementAndGet();
            });
            runs.add(run);
            workers.add(Thread.ofPlatform().daemon(true).name("runner-" + w).start(run));
        }
        awaitOrFail("6 workers parked at the closed gate (blocked, not spinning)", runs,
                () -> passed.get() > 0 || workers.stream().allMatch(Waiting::blocked));
        assertThat(passed.get()).as("workers that passed the gate before it was opened").isZero();
        assertThat(gate.isOpen()).as("isOpen() before open()").isFalse();
        gate.open();
        for (FutureTask<Integer> run : runs) {
            getWithin5s(run, "a worker waiting at the gate after open()");
        }
        assertThat(passed.get()).as("workers through the gate after one open()").isEqualTo(6);
        assertThat(gate.isOpen()).as("isOpen() after open()").isTrue();
    }

    @Test
    void anOpenGateStaysOpen() throws Exception {
        StartingGate gate = new StartingGate();
        gate.open();
        gate.open();
        assertThat(getWithin5s(Waiting.start("late-runner", () -> {
            gate.await();
            return "through";
        }), "await() on a gate opened before")).isEqualTo("through");
        assertThat(gate.isOpen()).as("isOpen() after opening twice").isTrue();
    }

    @Test
    void aWaiterThatIsInterruptedGetsInterruptedException() throws Exception {
        StartingGate gate = new StartingGate();
        FutureTask<String> waiter = new FutureTask<>(() -> {
            gate.await();
            return "passed a closed gate";
        });
        Thread thread = Thread.ofPlatform().daemon(true).name("runner").start(waiter);
        awaitOrFail("a worker parked at the closed gate", List.of(waiter), () -> Waiting.blocked(thread));
        thread.interrupt();
        assertThatThrownBy(() -> getWithin5s(waiter, "the interrupted worker")).as("await() interrupted")
                .isInstanceOf(InterruptedException.class);
        assertThat(gate.isOpen()).as("isOpen() after a waiter was interrupted").isFalse();
    }
}
