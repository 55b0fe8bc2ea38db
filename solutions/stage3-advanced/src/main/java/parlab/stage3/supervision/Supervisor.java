package parlab.stage3.supervision;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * s3e07 · Process supervision, reference solution.
 *
 * <p>Concurrency contract: all supervision state (slots, queue, counters) is owned by the thread that calls
 * {@link #run}; the only thing other threads touch is {@link #inbox}, a thread-safe queue the workers' reader
 * threads add to. So the supervisor is a single-threaded event loop: take an event (or time out after a tick), update
 * the state, look at the deadlines, hand idle workers their next task. {@link #close} is called after {@code run}
 * (never concurrently with it) and closes every worker ever launched, so no process and no reader thread outlives
 * the supervisor.
 *
 * <p>The state of a slot is its current worker, the task it runs (or none) and the time of its last sign of life.
 * An event from a worker that is no longer its slot's current worker is stale (that worker was given up on) and
 * is ignored, which is what keeps a late answer from producing a second result.
 *
 * <p>Other ways: Erlang/OTP's {@code one_for_one} supervisor does the same with links and {@code 'EXIT'} messages,
 * and counts intensity exactly like this (a list of restart times, pruned to the window). Kubernetes restarts with
 * an exponential back-off instead of giving up; a back-off between restarts (with an injectable sleeper) would slot
 * in where {@link #restart} launches the new worker.
 */
public final class Supervisor implements AutoCloseable {
    private final SupervisorConfig config;
    private final WorkerLauncher launcher;
    private final Clock clock;
    private final BlockingQueue<WorkerEvent> inbox = new LinkedBlockingQueue<>();
    /** Current worker per slot, or null. Owned by the thread in run(). */
    private final WorkerProcess[] workers;
    /** Every worker ever launched, for close(). */
    private final List<WorkerProcess> launched = new ArrayList<>();
    /** Clock times of the restarts inside the current window, oldest first. */
    private final Deque<Long> restartTimes = new ArrayDeque<>();
    private boolean gaveUp;

    public Supervisor(SupervisorConfig config, WorkerLauncher launcher, Clock clock) {
        this.config = Objects.requireNonNull(config, "config");
        this.launcher = Objects.requireNonNull(launcher, "launcher");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.workers = new WorkerProcess[config.workers()];
    }

    /** Real workers and the system clock. */
    public Supervisor(SupervisorConfig config) {
        this(config, WorkerLauncher.JVM, Clock.SYSTEM);
    }

    /** The state of one run: what is queued, running, done. */
    private final class Run {
        final Deque<Task> queue;
        final Task[] running = new Task[workers.length];
        final int[] runningAttempt = new int[workers.length];
        final long[] lastSign = new long[workers.length];
        final Map<String, Integer> attempts = new HashMap<>();
        final Map<String, Integer> crashes = new HashMap<>();
        final Map<String, TaskResult> results = new LinkedHashMap<>();
        final List<Quarantined> quarantined = new ArrayList<>();
        final int total;
        int restarts;

        Run(List<Task> tasks) {
            this.queue = new ArrayDeque<>(tasks);
            this.total = tasks.size();
        }

        boolean done() {
            return results.size() + quarantined.size() == total;
        }
    }

    /**
     * Runs every task once to completion on the workers, restarting workers that crash or hang, and returns one
     * result per task that completed and the tasks put in quarantine.
     *
     * @throws SupervisorGaveUpException if workers had to be restarted more often than the intensity limit allows;
     *                                   every worker has been stopped by then
     * @throws InterruptedException      if the calling thread is interrupted (the workers stay for close())
     */
    public Report run(List<Task> tasks) throws InterruptedException {
        if (gaveUp) {
            throw new IllegalStateException("this supervisor gave up; make a new one");
        }
        Set<String> ids = new HashSet<>();
        for (Task task : tasks) {
            if (!ids.add(task.id())) {
                throw new IllegalArgumentException("task id " + task.id() + " appears twice");
            }
        }
        Run run = new Run(tasks);
        for (int slot = 0; slot < workers.length; slot++) {
            if (workers[slot] == null) {
                workers[slot] = launch(slot);
            }
        }
        while (!run.done()) {
            dispatch(run);
            WorkerEvent event = inbox.poll(config.tick().toNanos(), TimeUnit.NANOSECONDS);
            if (event != null) {
                handle(run, event);
            }
            checkHeartbeats(run);
        }
        return new Report(new ArrayList<>(run.results.values()), run.quarantined, run.restarts);
    }

    /** Gives every idle worker the next queued task; a failed send puts the task back and replaces the worker. */
    private void dispatch(Run run) {
        for (int slot = 0; slot < workers.length && !run.queue.isEmpty(); slot++) {
            if (run.running[slot] != null) {
                continue;
            }
            Task task = run.queue.removeFirst();
            int attempt = run.attempts.merge(task.id(), 1, Integer::sum);
            try {
                workers[slot].send(task, attempt);
                run.running[slot] = task;
                run.runningAttempt[slot] = attempt;
                run.lastSign[slot] = clock.nanoTime();
            } catch (IOException e) {
                run.attempts.merge(task.id(), -1, Integer::sum); // it never reached the worker
                run.queue.addFirst(task);
                workers[slot].kill();
                restart(run, slot, e.getMessage());
            }
        }
    }

    private void handle(Run run, WorkerEvent event) {
        int slot = event.worker().slot();
        if (workers[slot] != event.worker()) {
            return; // from a worker already given up on
        }
        switch (event) {
            case WorkerEvent.Started started -> run.lastSign[slot] = started.at();
            case WorkerEvent.Heartbeat beat -> run.lastSign[slot] = beat.at();
            case WorkerEvent.Finished finished -> {
                Task task = run.running[slot];
                if (task != null && task.id().equals(finished.taskId())) {
                    run.results.putIfAbsent(task.id(), new TaskResult(task.id(), finished.value(), finished.attempt()));
                    run.running[slot] = null;
                }
            }
            case WorkerEvent.Exited exited -> failed(run, slot, exited.describe());
        }
    }

    /** A busy worker silent for longer than the heartbeat timeout is hung: kill it and treat it as crashed. */
    private void checkHeartbeats(Run run) {
        long now = clock.nanoTime();
        for (int slot = 0; slot < workers.length; slot++) {
            if (run.running[slot] != null && now - run.lastSign[slot] > config.heartbeatTimeout().toNanos()) {
                WorkerProcess hung = workers[slot];
                hung.kill();
                failed(run, slot, hung + " missed its heartbeats: no sign of life for more than "
                        + config.heartbeatTimeout().toMillis() + " ms while running task " + run.running[slot].id());
            }
        }
    }

    /** The slot's worker is gone: requeue or quarantine its task, then restart it (within the intensity limit). */
    private void failed(Run run, int slot, String reason) {
        Task lost = run.running[slot];
        run.running[slot] = null;
        if (lost != null) {
            int crashes = run.crashes.merge(lost.id(), 1, Integer::sum);
            if (crashes >= config.maxCrashesPerTask()) {
                run.quarantined.add(new Quarantined(lost, crashes, reason));
            } else {
                run.queue.addFirst(lost);
            }
        }
        restart(run, slot, reason);
    }

    private void restart(Run run, int slot, String reason) {
        workers[slot] = null;
        long now = clock.nanoTime();
        long windowStart = now - config.restartWindow().toNanos();
        while (!restartTimes.isEmpty() && restartTimes.peekFirst() <= windowStart) {
            restartTimes.removeFirst();
        }
        if (restartTimes.size() + 1 > config.maxRestarts()) {
            gaveUp = true;
            int needed = restartTimes.size() + 1;
            stopAll();
            throw new SupervisorGaveUpException(needed, config.restartWindow(), config.maxRestarts(), reason);
        }
        restartTimes.addLast(now);
        run.restarts++;
        workers[slot] = launch(slot);
    }

    private WorkerProcess launch(int slot) {
        try {
            WorkerProcess worker = launcher.launch(slot, inbox, clock);
            launched.add(worker);
            return worker;
        } catch (IOException e) {
            throw new UncheckedIOException("could not start a worker for slot " + slot, e);
        }
    }

    private void stopAll() {
        for (WorkerProcess worker : launched) {
            worker.close();
        }
        launched.clear();
        java.util.Arrays.fill(workers, null);
    }

    /** Stops every worker this supervisor launched and waits until they are gone. Idempotent. */
    @Override
    public void close() {
        stopAll();
        inbox.clear();
    }
}
