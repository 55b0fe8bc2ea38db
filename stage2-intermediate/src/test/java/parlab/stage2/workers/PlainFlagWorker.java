package parlab.stage2.workers;

import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Known broken, kept for the canary of {@link SharedFields}: the paused flag is a plain field. {@code pause()} writes
 * it on the caller's thread, the worker's loop reads it on its own, and nothing orders the two: the worker may go on
 * seeing {@code false} for ever. Every behaviour test passes with it on a PC, and so does a model checker (which
 * assumes every write is seen at once); only the memory model says it is wrong.
 */
final class PlainFlagWorker<T> {
    private final BlockingQueue<T> queue;
    private final ThreadFactory factory;
    private final AtomicLong processed = new AtomicLong();
    private volatile Thread thread;
    private boolean paused; // BROKEN: written by pause() and read by the worker with no lock, not volatile

    PlainFlagWorker(BlockingQueue<T> queue, ThreadFactory factory) {
        this.queue = queue;
        this.factory = factory;
    }

    public void start() {
        thread = factory.newThread(this::loop);
        thread.start();
    }

    public void pause() {
        paused = true;
    }

    public void resume() {
        paused = false;
    }

    public long processed() {
        return processed.get();
    }

    public void stop() {
        thread.interrupt();
    }

    private void loop() {
        try {
            while (!Thread.currentThread().isInterrupted()) {
                if (paused) {
                    TimeUnit.MILLISECONDS.sleep(10);
                    continue;
                }
                if (queue.poll(10, TimeUnit.MILLISECONDS) != null) {
                    processed.incrementAndGet();
                }
            }
        } catch (InterruptedException stop) {
            Thread.currentThread().interrupt();
        }
    }
}
