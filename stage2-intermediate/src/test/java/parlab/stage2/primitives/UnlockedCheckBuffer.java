package parlab.stage2.primitives;

import java.util.concurrent.locks.ReentrantLock;

/**
 * Known broken, kept as the model checker's canary: {@code offer} looks at the count before it takes the lock, so
 * two offers into the last free slot can both see room, and the buffer ends up holding more than its capacity.
 */
final class UnlockedCheckBuffer {
    private final ReentrantLock lock = new ReentrantLock();
    private final Object[] items;
    private int head;
    private int count;

    UnlockedCheckBuffer(int capacity) {
        items = new Object[capacity];
    }

    boolean offer(Object item) {
        if (count == items.length) { // the bug: checked outside the lock, acted on inside it
            return false;
        }
        lock.lock();
        try {
            items[(head + count) % items.length] = item;
            count++;
            return true;
        } finally {
            lock.unlock();
        }
    }

    Object poll() {
        lock.lock();
        try {
            if (count == 0) {
                return null;
            }
            Object item = items[head];
            items[head] = null;
            head = (head + 1) % items.length;
            count--;
            return item;
        } finally {
            lock.unlock();
        }
    }

    int size() {
        lock.lock();
        try {
            return count;
        } finally {
            lock.unlock();
        }
    }
}
