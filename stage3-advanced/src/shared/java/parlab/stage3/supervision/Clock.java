package parlab.stage3.supervision;

/**
 * Where the supervisor reads the time, so that the tests can move it by hand: heartbeat deadlines and the restart
 * window are measured on it, never on {@link System#nanoTime()} directly. Real use: {@link #SYSTEM}.
 */
@FunctionalInterface
public interface Clock {
    /** The system's monotonic clock. */
    Clock SYSTEM = System::nanoTime;

    /** Now, in nanoseconds from an arbitrary origin (only differences mean something). */
    long nanoTime();
}
