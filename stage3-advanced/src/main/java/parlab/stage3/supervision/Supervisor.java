package parlab.stage3.supervision;

import java.util.List;
import java.util.Objects;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * s3e07 · Process supervision.
 *
 * <p>Workers crash. A supervisor keeps a fixed number of worker processes going anyway: it starts them, hands
 * each one task at a time, notices when one dies ({@code kill -9}, a crash) or stops showing signs of life (a
 * hang), replaces it, and runs the task it lost again, so that every task still gets exactly one result. Two limits
 * keep it from making things worse: a task that keeps killing workers goes to quarantine instead of being retried
 * forever, and when workers die faster than a set rate the supervisor gives up instead of restarting in a loop
 * (Erlang/OTP's "restart intensity").
 *
 * <p>The workers are real child JVMs ({@link WorkerMain}, started through the {@link WorkerLauncher}); a
 * {@link WorkerProcess} turns what each one prints into {@link WorkerEvent}s in the {@link #inbox}. Your part is
 * {@link #run}: an event loop on the calling thread that owns all the supervision state, and {@link #close}.
 *
 * <p>The contract of {@link #run}, which the tests pin down:
 * <ul>
 *   <li>every task ends exactly once: with one {@link TaskResult} in the report, or in quarantine; a task whose
 *       worker died or hung is sent again (attempt 2, 3, ...) to a healthy worker;
 *   <li>a worker gets one task at a time, and its workers are started through {@link #launcher} with this
 *       {@link #inbox} and {@link #clock}; they stay running for the next {@code run} until {@link #close};
 *   <li>a busy worker whose last sign of life (task sent, {@link WorkerEvent.Started}, {@link WorkerEvent.Heartbeat};
 *       an event's time is its {@link WorkerEvent#at()}) is older than {@code heartbeatTimeout} on the clock is
 *       hung: it is killed and handled like a crash;
 *   <li>after a crash or a hang the slot gets a new worker; an event from a worker already replaced is ignored;
 *   <li>a task that was running when its worker failed {@code maxCrashesPerTask} times goes to quarantine with
 *       the last failure as its reason ({@link WorkerEvent.Exited#describe()}, or a text that says "heartbeat");
 *   <li>a restart that would make more than {@code maxRestarts} restarts within {@code restartWindow} (on the
 *       clock) is refused: every worker is stopped, then {@link SupervisorGaveUpException} is thrown;
 *   <li>{@link #close} (after {@code run}, never during it) stops every worker ever launched and waits until they
 *       are gone: no orphan process, no reader thread left.
 * </ul>
 *
 * <p>Baseline experiment: {@code ./lab bench supervision} times a task on a warm worker, then the same with the
 * worker killed mid-task: the difference is your restart latency (a new JVM plus the task again).
 *
 * <p>Things to think about: what must you remember per slot to know which task a dead worker took with it? When
 * a worker was killed because it was silent and then its last words arrive, whose are they? Why count restarts
 * in a sliding window rather than in total?
 */
public final class Supervisor implements AutoCloseable {
    private final SupervisorConfig config;
    private final WorkerLauncher launcher;
    private final Clock clock;
    /** Where every worker's reader thread puts its events; the only state shared with other threads. */
    private final BlockingQueue<WorkerEvent> inbox = new LinkedBlockingQueue<>();

    public Supervisor(SupervisorConfig config, WorkerLauncher launcher, Clock clock) {
        this.config = Objects.requireNonNull(config, "config");
        this.launcher = Objects.requireNonNull(launcher, "launcher");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** Real workers and the system clock. */
    public Supervisor(SupervisorConfig config) {
        this(config, WorkerLauncher.JVM, Clock.SYSTEM);
    }

    /**
     * Runs every task to completion (or quarantine) on the workers and reports what came back.
     *
     * @throws SupervisorGaveUpException if workers fail faster than the restart intensity limit allows
     * @throws InterruptedException      if the calling thread is interrupted (the workers stay for close())
     */
    public Report run(List<Task> tasks) throws InterruptedException {
        // TODO: give every slot without a worker a new one (launcher.launch(slot, inbox, clock)) and remember it
        // TODO: until every task has a result or is quarantined: send idle workers their next task, wait for the
        //       next event at most config.tick(), and check the heartbeat deadlines of the busy workers
        // TODO: ignore events from a worker that is no longer the current worker of its slot
        // TODO: when a worker exited or missed its deadline: requeue its task, or quarantine it after too many crashes
        // TODO: restart the slot, unless that exceeds the restart intensity: then stop every worker and give up
        throw new UnsupportedOperationException("TODO: run");
    }

    /** Stops every worker this supervisor launched and waits until they are gone. */
    @Override
    public void close() {
        // TODO: close every worker ever launched (WorkerProcess.close() kills it and waits until it is gone)
        throw new UnsupportedOperationException("TODO: close");
    }
}
