// Autoscaling — run with: jshell notes/autoscaling.jsh
import java.util.ArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

void check(boolean ok, String message) { if (!ok) throw new AssertionError(message); }

// 1. A controller, on a fake clock (ticks). Signals: queue depth and the wait it implies (depth / service rate,
//    Little's law). Scale up fast (double) when the wait is above target; scale down slowly (one at a time) only when
//    the wait is far below target *and* nothing changed for `cooldown` ticks. The gap between the two thresholds is
//    the hysteresis that stops flapping; min and max bound it.
class Controller {
    final int min, max, cooldown; final double targetWait;
    int size; long lastChange = Long.MIN_VALUE / 2;
    Controller(int min, int max, int cooldown, double targetWait) {
        this.min = min; this.max = max; this.cooldown = cooldown; this.targetWait = targetWait; this.size = min;
    }
    int decide(long now, long depth, double perWorkerRate) {
        double wait = depth / (size * perWorkerRate);          // ticks a new item would wait
        int next = size;
        if (wait > targetWait && now - lastChange >= 2) next = Math.min(max, size * 2);                     // up: fast
        else if (wait < targetWait / 4 && now - lastChange >= cooldown) next = Math.max(min, size - 1);     // down: slow
        if (next != size) { size = next; lastChange = now; }
        return size;
    }
}

void controller() {
    var c = new Controller(1, 8, 10, 2.0);
    double rate = 2;                                            // items one worker serves per tick
    long depth = 0;
    var sizes = new ArrayList<Integer>();
    int changes = 0, previous = c.size;
    long firstAtMax = -1;
    for (long tick = 0; tick < 150; tick++) {
        int arrivals = tick < 20 ? 1 : tick < 60 ? 12 : 1;      // quiet, a burst of 40 ticks, quiet again
        depth += arrivals;
        int size = c.decide(tick, depth, rate);
        depth = Math.max(0, depth - (long) (size * rate));      // the workers serve what they can
        check(size >= 1 && size <= 8, "never outside the bounds: " + size);
        if (size != previous) changes++;
        if (size == 8 && firstAtMax < 0) firstAtMax = tick;
        previous = size;
        sizes.add(size);
    }
    check(firstAtMax >= 20 && firstAtMax <= 30, "reaches the maximum within 10 ticks of the burst: tick " + firstAtMax);
    check(sizes.get(59) == 8, "stays up during the burst");
    check(sizes.get(149) == 1, "back to the minimum after the load is gone");
    for (int t = 61; t < sizes.size(); t++)
        if (sizes.get(t) < sizes.get(t - 1))                    // every step down comes after a quiet cooldown
            for (int u = t - 9; u < t; u++) check(sizes.get(u).equals(sizes.get(t - 1)), "no change within the cooldown before tick " + t);
    check(changes <= 12, "no flapping: " + changes + " changes");
    var sb = new StringBuilder();
    for (int t = 0; t < sizes.size(); t += 5) sb.append(sizes.get(t)).append(' ');
    System.out.printf("pool size every 5 ticks (burst from 20 to 59): %s%n  max reached at tick %d, %d changes in all%n", sb, firstAtMax, changes);
}

// 2. Resizing a real ThreadPoolExecutor. Pitfall first: with an unbounded queue, the pool never grows past its core
//    size, whatever the maximum says, because the queue always accepts. So the core size is the knob to turn.
void resizeRealPool() throws Exception {
    var release = new CountDownLatch(1);
    var running = new CountDownLatch(4);
    var pool = new ThreadPoolExecutor(1, 4, 1, TimeUnit.SECONDS, new LinkedBlockingQueue<>());
    try {
        for (int i = 0; i < 8; i++)
            pool.execute(() -> { running.countDown(); try { release.await(); } catch (InterruptedException e) { Thread.currentThread().interrupt(); } });
        check(pool.getPoolSize() == 1 && pool.getQueue().size() == 7, "max 4, but one thread: the unbounded queue took the rest");

        try { pool.setCorePoolSize(8); check(false, "core above max must fail"); }
        catch (IllegalArgumentException e) { }                  // growing: raise the maximum first, then the core
        pool.setMaximumPoolSize(6);
        pool.setCorePoolSize(4);                                // starts threads at once for the queued tasks
        check(running.await(10, TimeUnit.SECONDS), "four tasks run at the same time after the resize");
        System.out.printf("resize up: core 1 -> 4, now %d threads, %d queued%n", pool.getPoolSize(), pool.getQueue().size());

        release.countDown();
        pool.setCorePoolSize(1);                                // shrinking: lower the core; idle extra threads retire
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while ((pool.getCompletedTaskCount() < 8 || pool.getPoolSize() > 1) && System.nanoTime() < deadline) Thread.sleep(10);
        check(pool.getCompletedTaskCount() == 8, "no task lost while resizing");
        check(pool.getPoolSize() == 1, "idle threads above the new core size retired: " + pool.getPoolSize());
        System.out.printf("resize down: core 4 -> 1, %d tasks completed, %d thread left%n", pool.getCompletedTaskCount(), pool.getPoolSize());
    } finally {
        pool.shutdown();
        check(pool.awaitTermination(10, TimeUnit.SECONDS), "the pool ends");
    }
}

controller();
resizeRealPool();
/exit
