package parlab.stage3.memory;

/**
 * Known broken, the checker's canary: it checks that enough bytes are free and then takes them, as two steps with
 * no lock between them, so two threads can both take the same free bytes.
 */
final class RacyBudget {
    private volatile long available;

    RacyBudget(long capacity) {
        available = capacity;
    }

    boolean tryAcquire(long bytes) {
        if (available >= bytes) {
            available -= bytes;
            return true;
        }
        return false;
    }

    void release(long bytes) {
        available += bytes;
    }

    long available() {
        return available;
    }
}
