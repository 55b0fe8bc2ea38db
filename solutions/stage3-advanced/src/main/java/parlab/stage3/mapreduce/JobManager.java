package parlab.stage3.mapreduce;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.zeromq.SocketType;
import org.zeromq.ZContext;
import org.zeromq.ZMQ;

/**
 * s3e14 · A local MapReduce engine, part 2: the job manager.
 *
 * <p>The manager owns the schedule and nothing else: it starts {@code workers} worker processes
 * ({@link WorkerMain}, child JVMs), binds a ZeroMQ ROUTER socket on {@code tcp://127.0.0.1} that they connect to,
 * hands a map task to every worker that asks for work, starts the reduce tasks only once every map task is done
 * (the shuffle is a barrier: reduce r needs partition r of <em>every</em> map), and reads the reducers' files into
 * the result. A worker that dies (a crash, {@code kill -9}, an OutOfMemoryError) loses its task: the manager notices
 * that the process is gone and gives the task to another worker. Tasks can be rerun safely because their outputs
 * replace, never add to, what an earlier attempt wrote ({@link Shuffle}).
 *
 * <p>The contract:
 * <ul>
 *   <li>{@link #run} returns the same counts as {@link WordCount#sequentialCount}, even when workers die, as long as
 *       one survives; it reports how many tasks were given out again and how many workers died;
 *   <li>it calls the {@link JobListener} after sending each task, with the worker's name and process;
 *   <li>a task that fails inside a worker ({@code FAILED}), or the death of every worker, ends the run with a
 *       {@link JobFailedException} that says which task and why;
 *   <li>however it ends (result, exception, interrupt), every worker process has ended and the {@link ZContext} is
 *       closed when {@code run} returns: no orphan process, no ZeroMQ thread left behind.
 * </ul>
 *
 * <p>Reference solution. The whole schedule lives on the calling thread: one loop receives a message (with a short
 * time-out, so that it also gets to look at the processes), checks for dead workers, and hands out tasks. No lock is
 * needed because nothing else touches the schedule; ZeroMQ sockets are not thread-safe anyway.
 *
 * <p>Other ways: Hadoop's and Spark's drivers detect loss by missed heartbeats rather than by watching a local
 * process (they cannot see a process on another machine), and run "speculative" copies of slow tasks; both rely on
 * the same idempotent, atomically committed outputs.
 */
public final class JobManager {
    private static final int POLL_MILLIS = 50;
    private final JobConfig config;
    private final JobListener listener;

    public JobManager(JobConfig config, JobListener listener) {
        this.config = Objects.requireNonNull(config, "config");
        this.listener = Objects.requireNonNull(listener, "listener");
    }

    /** Counts the words of {@code inputs}, one map task per file, {@code config.reducers()} reduce tasks. */
    public JobResult run(List<Path> inputs) throws JobFailedException, InterruptedException, IOException {
        if (inputs.isEmpty()) {
            throw new IllegalArgumentException("a job needs at least one input file");
        }
        Files.createDirectories(config.workDir());
        Map<String, Process> workers = new LinkedHashMap<>();
        boolean finished = false;
        try (ZContext context = new ZContext()) {
            ZMQ.Socket router = context.createSocket(SocketType.ROUTER);
            router.setLinger(500); // closing waits up to 0.5 s to deliver the last EXIT messages
            router.setReceiveTimeOut(POLL_MILLIS);
            int port = router.bindToRandomPort("tcp://127.0.0.1");
            String endpoint = "tcp://127.0.0.1:" + port;
            for (int i = 0; i < config.workers(); i++) {
                String name = "worker-" + i;
                workers.put(name, new ProcessBuilder(WorkerMain.command(endpoint, name, config.mapDelay()))
                        .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                        .redirectError(ProcessBuilder.Redirect.INHERIT)
                        .start());
            }
            JobResult result = schedule(router, workers, inputs);
            finished = true;
            return result;
        } finally {
            stopAll(workers.values(), finished);
        }
    }

    private JobResult schedule(ZMQ.Socket router, Map<String, Process> workers, List<Path> inputs)
            throws JobFailedException, InterruptedException, IOException {
        int maps = inputs.size();
        int reducers = config.reducers();
        Deque<Task> pending = new ArrayDeque<>();
        for (int m = 0; m < maps; m++) {
            pending.add(new Task(Task.Kind.MAP, m));
        }
        Set<Task> done = new HashSet<>();
        Map<String, Task> running = new LinkedHashMap<>();
        Deque<String> idle = new ArrayDeque<>();
        Map<String, Process> alive = new LinkedHashMap<>(workers);
        int reassigned = 0;
        int dead = 0;
        boolean reducing = false;
        while (done.size() < maps + reducers) {
            if (Thread.currentThread().isInterrupted()) {
                throw new InterruptedException("the job was interrupted");
            }
            byte[] identity = router.recv(0);
            if (identity != null) {
                String worker = new String(identity, StandardCharsets.UTF_8);
                String[] fields = router.recvStr().split("\t", 4);
                switch (fields[0]) {
                    case WorkerMain.READY -> { }
                    case WorkerMain.DONE -> {
                        Task task = new Task(Task.Kind.valueOf(fields[1]), Integer.parseInt(fields[2]));
                        done.add(task);
                        pending.remove(task); // it may have been given out again meanwhile: once is enough
                        running.remove(worker);
                    }
                    case WorkerMain.FAILED -> throw new JobFailedException(
                            fields[1] + " task " + fields[2] + " failed in " + worker + ": " + fields[3]);
                    default -> throw new IllegalStateException("unexpected message from " + worker + ": " + fields[0]);
                }
                if (alive.containsKey(worker) && !idle.contains(worker)) {
                    idle.add(worker);
                }
            }
            for (var it = alive.entrySet().iterator(); it.hasNext(); ) {
                var entry = it.next();
                if (!entry.getValue().isAlive()) {
                    it.remove();
                    idle.remove(entry.getKey());
                    dead++;
                    Task lost = running.remove(entry.getKey());
                    if (lost != null && !done.contains(lost)) {
                        pending.addFirst(lost);
                        reassigned++;
                    }
                }
            }
            if (alive.isEmpty()) {
                throw new JobFailedException("every worker died (" + dead + " of " + workers.size() + "); "
                        + (maps + reducers - done.size()) + " of " + (maps + reducers) + " tasks never finished");
            }
            if (!reducing && done.size() == maps) {
                reducing = true; // the barrier: every map output exists, the shuffle can be read
                for (int r = 0; r < reducers; r++) {
                    pending.add(new Task(Task.Kind.REDUCE, r));
                }
            }
            while (!idle.isEmpty() && !pending.isEmpty()) {
                String worker = idle.poll();
                Task task = pending.poll();
                router.sendMore(worker);
                router.send(WorkerMain.taskMessage(task, reducers, maps, config.workDir(), inputs));
                running.put(worker, task);
                listener.onAssigned(worker, task, alive.get(worker));
            }
        }
        SortedMap<String, Long> counts = new TreeMap<>();
        for (int r = 0; r < reducers; r++) {
            counts.putAll(Shuffle.read(WordCount.reduceOutput(config.workDir(), r)));
        }
        for (String worker : alive.keySet()) {
            router.sendMore(worker);
            router.send(WorkerMain.EXIT);
        }
        return new JobResult(counts, reassigned, dead);
    }

    /**
     * After a finished job, waits a little for each worker to leave on EXIT; after a failure, or past that wait,
     * kills them. Returns only once every process has ended.
     */
    private static void stopAll(Iterable<Process> workers, boolean politely) {
        boolean interrupted = false;
        for (Process worker : workers) {
            try {
                if (!politely || !worker.waitFor(2, TimeUnit.SECONDS)) {
                    worker.destroyForcibly();
                }
            } catch (InterruptedException e) {
                interrupted = true;
                worker.destroyForcibly();
            }
        }
        for (Process worker : workers) {
            while (true) {
                try {
                    worker.onExit().get();
                    break;
                } catch (InterruptedException e) {
                    interrupted = true; // keep waiting: no orphan may outlive run()
                } catch (java.util.concurrent.ExecutionException e) {
                    break;
                }
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}
