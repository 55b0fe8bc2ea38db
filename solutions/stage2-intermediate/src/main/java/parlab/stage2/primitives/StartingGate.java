package parlab.stage2.primitives;

import java.util.concurrent.CountDownLatch;

/**
 * s2e03 · A starting gate: an event that many threads wait for and one thread sets, once.
 *
 * <p>The contract, which the tests pin down:
 * <ul>
 *   <li>{@link #await} blocks (without burning the CPU) until {@link #open} has been called; nobody passes before;
 *   <li>one {@link #open} releases every waiting thread, and {@link #await} after it returns at once;
 *   <li>opening twice is harmless; {@link #isOpen} tells whether the gate has been opened;
 *   <li>a thread interrupted while it waits gets {@link InterruptedException}.
 * </ul>
 *
 * <p>Reference solution: a {@link CountDownLatch} of one. Counting down to zero is the event; a latch never
 * closes again, which is exactly a gate's contract, and {@code countDown()} happens-before every {@code await()}
 * that returns, so what the opener wrote before opening is visible to everyone who passed.
 *
 * <p>Other ways: {@code CompletableFuture<Void>} ({@code complete(null)} and {@code join()}) is the same event with
 * composition on top; a {@code Phaser} can be reused for several rounds, a latch cannot.
 */
public final class StartingGate {
    private final CountDownLatch opened = new CountDownLatch(1);

    /** Waits until the gate is open. */
    public void await() throws InterruptedException {
        opened.await();
    }

    /** Opens the gate for everyone waiting now and later. */
    public void open() {
        opened.countDown();
    }

    public boolean isOpen() {
        return opened.getCount() == 0;
    }
}
