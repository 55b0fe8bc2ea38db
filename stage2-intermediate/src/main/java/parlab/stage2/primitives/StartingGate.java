package parlab.stage2.primitives;

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
 * <p>Things to think about: which of the JDK's primitives is an event that, once set, stays set? How does the
 * opener's work before {@code open()} become visible to the threads that pass?
 */
public final class StartingGate {
    // TODO: a field for the primitive that holds the gate's state

    /** Waits until the gate is open. */
    public void await() throws InterruptedException {
        // TODO: block until the gate has been opened
        throw new UnsupportedOperationException("TODO: await");
    }

    /** Opens the gate for everyone waiting now and later. */
    public void open() {
        // TODO: open the gate, once and for good
        throw new UnsupportedOperationException("TODO: open");
    }

    public boolean isOpen() {
        // TODO: has open() been called?
        throw new UnsupportedOperationException("TODO: isOpen");
    }
}
