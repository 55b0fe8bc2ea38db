package parlab.stage3.supervision;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class SupervisorTest {
    /** Long enough for a few worker JVMs to start one after another on a busy machine. */
    private static final Duration PATIENT = Duration.ofSeconds(10);
    /** A deadline the fake clock never reaches unless a test moves it there. */
    private static final Duration NEVER = Duration.ofDays(1);

    /** A clock that moves only when a test says so. */
    static final class FakeClock implements Clock {
        private final AtomicLong now = new AtomicLong(1_000_000_000L);

        @Override
        public long nanoTime() {
            return now.get();
        }

        void advance(Duration by) {
            now.addAndGet(by.toNanos());
        }
    }

    /**
     * Launches real workers, remembers every one (so that none survives the test, whatever the supervisor does),
     * logs what they say, and lets a test react to an event on the worker's reader thread, before the supervisor
     * sees it.
     */
    static final class Workers implements WorkerLauncher {
        final List<WorkerProcess> launched = new CopyOnWriteArrayList<>();
        final List<WorkerEvent> events = new CopyOnWriteArrayList<>();
        final List<Consumer<WorkerEvent>> reactions = new CopyOnWriteArrayList<>();

        @Override
        public WorkerProcess launch(int slot, BlockingQueue<WorkerEvent> inbox, Clock clock) throws IOException {
            WorkerProcess worker = WorkerProcess.start(slot, inbox, clock, event -> {
                events.add(event);
                reactions.forEach(r -> r.accept(event));
            });
            launched.add(worker);
            return worker;
        }

        void on(Consumer<WorkerEvent> reaction) {
            reactions.add(reaction);
        }

        List<Integer> attemptsStarted(String taskId) {
            return events.stream().filter(e -> e instanceof WorkerEvent.Started s && s.taskId().equals(taskId))
                    .map(e -> ((WorkerEvent.Started) e).attempt()).toList();
        }

        /** Tasks that never came back although the last worker that started them is gone. */
        String lost(List<Task> tasks) {
            List<WorkerEvent> all = List.copyOf(events);
            List<String> lost = new ArrayList<>();
            for (Task task : tasks) {
                boolean finished = all.stream().anyMatch(e -> e instanceof WorkerEvent.Finished f
                        && f.taskId().equals(task.id()));
                WorkerProcess last = all.stream().filter(e -> e instanceof WorkerEvent.Started s
                        && s.taskId().equals(task.id())).map(WorkerEvent::worker).reduce((a, b) -> b).orElse(null);
                if (!finished && last != null && all.stream().anyMatch(e -> e instanceof WorkerEvent.Exited
                        && e.worker() == last)) {
                    lost.add(task.id());
                }
            }
            return lost.isEmpty() ? "" : " Lost: " + lost + " started on a worker that then died, and never started "
                    + "again (requeue the task a dead worker was running, or quarantine it).";
        }

        List<WorkerProcess> alive() {
            return launched.stream().filter(WorkerProcess::isAlive).toList();
        }

        String log() {
            List<WorkerEvent> all = List.copyOf(events);
            return all.stream().skip(Math.max(0, all.size() - 20)).map(SupervisorTest::describe)
                    .collect(Collectors.joining("\n    ", "\n    ", ""));
        }

        void closeAll() {
            launched.forEach(WorkerProcess::close);
        }
    }

    private final FakeClock clock = new FakeClock();
    private final Workers workers = new Workers();

    @AfterEach
    void noWorkerOutlivesTheTest() {
        workers.closeAll(); // even if the supervisor under test forgot one, or the test failed half-way
    }

    private static String describe(WorkerEvent event) {
        return switch (event) {
            case WorkerEvent.Started s -> s.worker() + ": started " + s.taskId() + " (attempt " + s.attempt() + ")";
            case WorkerEvent.Heartbeat h -> h.worker() + ": beat " + h.taskId();
            case WorkerEvent.Finished f -> f.worker() + ": result of " + f.taskId() + " = " + f.value();
            case WorkerEvent.Exited x -> x.describe();
        };
    }

    private static SupervisorConfig config(int workers) {
        return SupervisorConfig.defaults(workers).withHeartbeatTimeout(NEVER).withRestartIntensity(10, NEVER)
                .withMaxCrashesPerTask(3);
    }

    private static List<Task> numbers(String prefix, int count) {
        return IntStream.range(0, count).mapToObj(i -> new Task(prefix + i, Integer.toString(i + 2))).toList();
    }

    /** run() on its own thread, so that a supervisor that never finishes fails with what the workers said. */
    private record Running(Thread thread, CompletableFuture<Report> outcome) {
    }

    private static Running start(Supervisor supervisor, List<Task> tasks) {
        CompletableFuture<Report> outcome = new CompletableFuture<>();
        Thread thread = Thread.ofPlatform().name("supervisor-run").start(() -> {
            try {
                outcome.complete(supervisor.run(tasks));
            } catch (Throwable t) {
                outcome.completeExceptionally(t);
            }
        });
        return new Running(thread, outcome);
    }

    private Report runWithin(Supervisor supervisor, List<Task> tasks, String whatShouldHappen) throws Exception {
        try {
            return runOrGiveUp(supervisor, tasks, whatShouldHappen);
        } catch (SupervisorGaveUpException e) {
            throw new AssertionError("run() gave up, but it should not have: " + whatShouldHappen + ". Attempts "
                    + "started per task: " + tasks.stream().collect(Collectors.toMap(Task::id,
                    t -> workers.attemptsStarted(t.id()).size())) + ". It said: " + e.getMessage(), e);
        }
    }

    private Report runOrGiveUp(Supervisor supervisor, List<Task> tasks, String whatShouldHappen) throws Exception {
        Running running = start(supervisor, tasks);
        try {
            return running.outcome().get(PATIENT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof Exception cause) {
                throw cause;
            }
            throw (Error) e.getCause();
        } catch (TimeoutException e) {
            throw new AssertionError("run() did not finish within " + PATIENT.toSeconds() + " s: " + whatShouldHappen
                    + "." + workers.lost(tasks) + " Last events from the workers:" + workers.log());
        } finally {
            running.thread().interrupt();
            running.thread().join(PATIENT.toMillis());
        }
    }

    private static Map<String, Long> resultsPerTask(Report report) {
        return report.results().stream().collect(Collectors.groupingBy(TaskResult::taskId, Collectors.counting()));
    }

    private static void assertExactlyOneCorrectResultPerTask(Report report, List<Task> tasks) {
        assertThat(resultsPerTask(report)).as("number of results per task id (exactly one each, none missing, "
                + "no duplicate)").isEqualTo(tasks.stream().collect(Collectors.toMap(Task::id, t -> 1L)));
        for (TaskResult result : report.results()) {
            Task task = tasks.stream().filter(t -> t.id().equals(result.taskId())).findFirst().orElseThrow();
            assertThat(result.value()).as("value of task %s (%s)", task.id(), task.payload())
                    .isEqualTo(WorkerMain.expectedValue(task.payload()));
        }
    }

    private static boolean deadWithin(long pid, Duration limit) throws Exception {
        var handle = ProcessHandle.of(pid);
        if (handle.isEmpty()) {
            return true;
        }
        try {
            handle.get().onExit().get(limit.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (TimeoutException stillRunning) {
            return false;
        }
    }

    @Test
    void everyTaskGetsExactlyOneResultAndTheWorkersServeTheNextRunToo() throws Exception {
        List<Task> first = numbers("a", 8);
        List<Task> second = numbers("b", 3);
        try (var supervisor = new Supervisor(config(2), workers, clock)) {
            Report report = runWithin(supervisor, first, "8 plain tasks on 2 healthy workers");
            assertExactlyOneCorrectResultPerTask(report, first);
            assertThat(report.quarantined()).as("quarantined tasks when nothing failed").isEmpty();
            assertThat(report.restarts()).as("restarts when nothing failed").isZero();
            assertThat(workers.launched).as("workers launched for config.workers() = 2").hasSize(2);
            for (Task task : first) {
                assertThat(workers.attemptsStarted(task.id())).as("attempts started of task %s", task.id())
                        .containsExactly(1);
            }

            Report again = runWithin(supervisor, second, "a second run on the same supervisor");
            assertExactlyOneCorrectResultPerTask(again, second);
            assertThat(workers.launched).as("workers launched after a second run: the first two, still running, "
                    + "are reused until close()").hasSize(2);
        }
        assertThat(workers.alive()).as("workers still running after close(): close() must stop every worker "
                + "and wait until it is gone").isEmpty();
    }

    @Test
    void aWorkerKilledWithSigkillMidTaskIsReplacedAndTheTaskRunsAgain() throws Exception {
        List<Task> tasks = new ArrayList<>(numbers("t", 5));
        tasks.add(2, new Task("victim", "stall-first:12"));
        AtomicLong killed = new AtomicLong();
        workers.on(event -> {
            if (event instanceof WorkerEvent.Started s && s.taskId().equals("victim") && s.attempt() == 1) {
                killed.set(s.worker().pid()); // the task has started: now kill -9 its worker from outside
                ProcessHandle.of(s.worker().pid()).ifPresent(ProcessHandle::destroyForcibly);
            }
        });
        try (var supervisor = new Supervisor(config(2), workers, clock)) {
            Report report = runWithin(supervisor, tasks, "the worker running 'victim' was killed with kill -9 "
                    + "while running it; the supervisor must start a new worker and send 'victim' again (attempt 2)");
            assertThat(killed.get()).as("pid of the worker killed mid-task").isPositive();
            assertExactlyOneCorrectResultPerTask(report, tasks);
            assertThat(workers.attemptsStarted("victim")).as("attempts started of the task whose worker was killed: "
                    + "requeued once, sent again with attempt number 2").containsExactly(1, 2);
            assertThat(report.results()).filteredOn(r -> r.taskId().equals("victim")).extracting(TaskResult::attempt)
                    .as("attempt that produced victim's result").containsExactly(2);
            assertThat(report.restarts()).as("restarts after one kill").isEqualTo(1);
            assertThat(workers.launched).as("workers launched: 2, and 1 replacement for the killed one").hasSize(3);
            assertThat(report.quarantined()).as("quarantined tasks after a single crash").isEmpty();
        }
        assertThat(workers.alive()).as("workers still running after close()").isEmpty();
    }

    @Test
    void aWorkerThatStopsSendingHeartbeatsIsKilledAndReplaced() throws Exception {
        Duration timeout = Duration.ofSeconds(5);
        List<Task> tasks = List.of(new Task("frozen", "hang-first:9"), new Task("after", "4"));
        workers.on(event -> {
            if (event instanceof WorkerEvent.Started s && s.taskId().equals("frozen") && s.attempt() == 1) {
                clock.advance(timeout.plusMillis(1)); // the worker hangs from here on: no heartbeat ever again
            }
        });
        try (var supervisor = new Supervisor(config(1).withHeartbeatTimeout(timeout), workers, clock)) {
            Report report = runWithin(supervisor, tasks, "the worker running 'frozen' went silent and the clock moved "
                    + "past heartbeatTimeout since its last sign of life (the Started event's at()); the supervisor "
                    + "must kill it, start a new one and send 'frozen' again. Use the given clock, not System.nanoTime");
            assertThat(workers.launched).as("workers launched: 1, and 1 replacement for the hung one. The Exited "
                    + "event of the worker you killed arrives later, from a worker already replaced: ignore it, do not "
                    + "restart the slot (or requeue its new task) again").hasSize(2);
            assertThat(report.restarts()).as("restarts after one hung worker").isEqualTo(1);
            assertExactlyOneCorrectResultPerTask(report, tasks);
            assertThat(workers.attemptsStarted("frozen")).as("attempts started of the task that hung once")
                    .containsExactly(1, 2);
            assertThat(deadWithin(workers.launched.getFirst().pid(), Duration.ofSeconds(2)))
                    .as("the hung worker is dead: a worker given up on must be killed (WorkerProcess.kill()), not "
                            + "just forgotten").isTrue();
        }
    }

    @Test
    void heartbeatsKeepAWorkerOnASlowTaskAlive() throws Exception {
        Duration timeout = Duration.ofSeconds(1);
        Duration perBeat = Duration.ofMillis(250);
        AtomicLong beats = new AtomicLong();
        workers.on(event -> {
            if (event instanceof WorkerEvent.Heartbeat) {
                beats.incrementAndGet();
                clock.advance(perBeat); // time passes, but the worker keeps saying it is alive
            }
        });
        List<Task> tasks = List.of(new Task("slow", "slow:900:6"));
        try (var supervisor = new Supervisor(config(1).withHeartbeatTimeout(timeout), workers, clock)) {
            Report report = runWithin(supervisor, tasks, "one slow task that sends heartbeats");
            assertThat(beats.get() * perBeat.toMillis()).as("milliseconds the clock moved during the slow task "
                    + "(more than the 1000 ms timeout, so only the heartbeats can keep its worker alive)")
                    .isGreaterThan(timeout.toMillis());
            assertThat(report.restarts()).as("restarts of a worker that sent a heartbeat every %d ms (of the clock) "
                    + "with a %d ms timeout: every heartbeat is a sign of life that moves its deadline",
                    perBeat.toMillis(), timeout.toMillis()).isZero();
            assertExactlyOneCorrectResultPerTask(report, tasks);
            assertThat(workers.launched).as("workers launched").hasSize(1);
        }
    }

    @Test
    void aTaskThatKeepsCrashingItsWorkerIsQuarantinedWithItsReason() throws Exception {
        List<Task> tasks = List.of(new Task("ok1", "2"), new Task("poison", "halt"), new Task("ok2", "3"));
        try (var supervisor = new Supervisor(config(1).withMaxCrashesPerTask(3), workers, clock)) {
            Report report = runWithin(supervisor, tasks, "'poison' crashes every worker that runs it; after 3 "
                    + "crashes it must go to quarantine, not be retried forever");
            assertThat(workers.attemptsStarted("poison")).as("attempts started of the poison task with "
                    + "maxCrashesPerTask = 3: tried 3 times, then never again").containsExactly(1, 2, 3);
            assertThat(report.quarantined()).as("quarantined tasks").hasSize(1);
            Quarantined q = report.quarantined().getFirst();
            assertThat(q.task()).as("the quarantined task").isEqualTo(tasks.get(1));
            assertThat(q.crashes()).as("crashes of the quarantined task").isEqualTo(3);
            assertThat(q.reason()).as("reason for the quarantine: the last failure, as Exited.describe() says it")
                    .contains("exit code " + WorkerMain.CRASH_EXIT_CODE).contains("crashing on purpose");
            assertExactlyOneCorrectResultPerTask(new Report(report.results(), List.of(), 0),
                    List.of(tasks.get(0), tasks.get(2)));
            assertThat(report.restarts()).as("restarts: one per crash").isEqualTo(3);
        }
    }

    @Test
    void aTaskThatKeepsHangingItsWorkerIsQuarantinedForMissedHeartbeats() throws Exception {
        Duration timeout = Duration.ofSeconds(5);
        List<Task> tasks = List.of(new Task("deadlock", "hang"), new Task("ok", "5"));
        workers.on(event -> {
            if (event instanceof WorkerEvent.Started s && s.taskId().equals("deadlock")) {
                clock.advance(timeout.plusMillis(1));
            }
        });
        SupervisorConfig config = config(1).withHeartbeatTimeout(timeout).withMaxCrashesPerTask(2);
        try (var supervisor = new Supervisor(config, workers, clock)) {
            Report report = runWithin(supervisor, tasks, "'deadlock' hangs every worker that runs it; a missed "
                    + "heartbeat deadline counts as a crash, and after 2 it must go to quarantine");
            assertThat(workers.launched).as("workers launched: 1, and 1 replacement per hang. The Exited event of "
                    + "a worker you killed arrives later, from a worker already replaced: ignore it").hasSize(3);
            assertThat(workers.attemptsStarted("deadlock")).as("attempts started of the task that always hangs, "
                    + "with maxCrashesPerTask = 2").containsExactly(1, 2);
            assertThat(report.quarantined()).as("quarantined tasks").extracting(Quarantined::task)
                    .containsExactly(tasks.get(0));
            assertThat(report.quarantined().getFirst().reason()).as("reason for quarantining a task that hangs")
                    .containsIgnoringCase("heartbeat");
            assertExactlyOneCorrectResultPerTask(new Report(report.results(), List.of(), 0), List.of(tasks.get(1)));
        }
    }

    @Test
    void tooManyRestartsWithinTheWindowMakeTheSupervisorGiveUp() throws Exception {
        List<Task> tasks = List.of(new Task("poison", "halt"), new Task("ok", "7"));
        SupervisorConfig config = config(2).withRestartIntensity(2, Duration.ofSeconds(60)).withMaxCrashesPerTask(100);
        try (var supervisor = new Supervisor(config, workers, clock)) {
            Throwable thrown = catchThrowable(() -> runOrGiveUp(supervisor, tasks, "workers crash again and again "
                    + "within the window: after 2 restarts in 60 s the supervisor must give up"));
            if (thrown instanceof UnsupportedOperationException todo) {
                throw todo;
            }
            assertThat(thrown).as("what run() throws when a third restart within 60 s is needed and the limit is 2")
                    .isInstanceOf(SupervisorGaveUpException.class);
            assertThat(((SupervisorGaveUpException) thrown).restarts())
                    .as("restarts needed within the window when the supervisor gave up").isEqualTo(3);
            assertThat(workers.attemptsStarted("poison")).as("attempts started of the task that crashes every "
                    + "worker: 3 crashes, 2 restarts allowed, then stop").containsExactly(1, 2, 3);
            assertThat(workers.alive()).as("workers still running when run() has thrown SupervisorGaveUpException "
                    + "(before close()): giving up means stopping every worker first").isEmpty();
        }
    }

    @Test
    void restartsSpreadOverTimeStayWithinTheLimit() throws Exception {
        Duration window = Duration.ofSeconds(10);
        List<Task> tasks = IntStream.range(0, 3).mapToObj(i -> new Task("c" + i, "halt-first:" + i)).toList();
        workers.on(event -> {
            if (event instanceof WorkerEvent.Started s && s.attempt() == 1) {
                clock.advance(window.plusSeconds(1)); // each crash comes more than a window after the one before
            }
        });
        SupervisorConfig config = config(1).withRestartIntensity(1, window);
        try (var supervisor = new Supervisor(config, workers, clock)) {
            Report report = runWithin(supervisor, tasks, "three crashes, each more than 10 s (of the clock) apart");
            assertExactlyOneCorrectResultPerTask(report, tasks);
            assertThat(report.restarts()).as("restarts: 3 in total, but never more than 1 within 10 s, which "
                    + "the limit allows (count the restarts inside the window that ends now, not all of them)")
                    .isEqualTo(3);
        }
    }

    @Test
    void closeStopsEveryWorkerAfterAnInterruptedRun() throws Exception {
        CountDownLatch stalled = new CountDownLatch(1);
        workers.on(event -> {
            if (event instanceof WorkerEvent.Started s && s.taskId().equals("endless")) {
                stalled.countDown();
            }
        });
        List<Task> tasks = List.of(new Task("endless", "stall"), new Task("x", "3"));
        try (var supervisor = new Supervisor(config(2), workers, clock)) {
            Running running = start(supervisor, tasks);
            long deadline = System.nanoTime() + PATIENT.toNanos();
            while (!stalled.await(20, TimeUnit.MILLISECONDS) && !running.outcome().isDone()) {
                assertThat(System.nanoTime() < deadline).as("task 'endless' started within %d s; events:%s",
                        PATIENT.toSeconds(), workers.log()).isTrue();
            }
            if (running.outcome().isCompletedExceptionally()) {
                Throwable failure = catchThrowable(running.outcome()::join).getCause();
                if (failure instanceof UnsupportedOperationException todo) {
                    throw todo;
                }
            }
            running.thread().interrupt();
            running.thread().join(PATIENT.toMillis());
            assertThat(running.thread().isAlive()).as("run() still running %d s after its thread was interrupted: "
                    + "let the InterruptedException out", PATIENT.toSeconds()).isFalse();
            assertThat(catchThrowable(running.outcome()::join)).as("how run() ended when interrupted")
                    .hasCauseInstanceOf(InterruptedException.class);
        }
        assertThat(workers.launched).as("workers launched").hasSize(2);
        assertThat(workers.alive()).as("workers still running after close() following an interrupted run (a test "
                + "that fails half-way ends like this): close() must stop them all, busy or idle").isEmpty();
    }
}
