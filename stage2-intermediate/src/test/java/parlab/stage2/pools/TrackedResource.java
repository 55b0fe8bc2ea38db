package parlab.stage2.pools;

import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;

/**
 * A resource that remembers which thread created it, which threads used it and which closed it, so that the tests
 * can tell a per-worker resource from a shared or leaked one. {@link Factory} is the initializer handed to the pool.
 */
final class TrackedResource implements AutoCloseable {
    final int id;
    final Thread creator = Thread.currentThread();
    final Set<Thread> users = ConcurrentHashMap.newKeySet();
    final List<Thread> closers = new CopyOnWriteArrayList<>();

    private TrackedResource(int id) {
        this.id = id;
    }

    /** What a task does with its resource: records the caller, and fails if the resource was already closed. */
    int use(int value) {
        users.add(Thread.currentThread());
        if (!closers.isEmpty()) {
            throw new IllegalStateException("resource #" + id + " used after it was closed");
        }
        return value * value;
    }

    /**
     * Takes a while, as closing a connection does, and only then counts as closed: a pool that returns from its
     * own close() while a worker is still closing its resource is caught.
     */
    @Override
    public void close() {
        LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(100));
        closers.add(Thread.currentThread());
    }

    boolean closed() {
        return !closers.isEmpty();
    }

    @Override
    public String toString() {
        return "resource #" + id + " (created on " + creator.getName() + ", used on "
                + users.stream().map(Thread::getName).sorted().toList() + ", closed on "
                + closers.stream().map(Thread::getName).toList() + ")";
    }

    /** The initializer: counts its calls and keeps every resource it made. */
    static final class Factory implements Supplier<TrackedResource> {
        final List<TrackedResource> made = new CopyOnWriteArrayList<>();
        private final AtomicInteger ids = new AtomicInteger();

        @Override
        public TrackedResource get() {
            TrackedResource resource = new TrackedResource(ids.incrementAndGet());
            made.add(resource);
            return resource;
        }
    }
}
