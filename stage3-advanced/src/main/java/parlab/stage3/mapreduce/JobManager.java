package parlab.stage3.mapreduce;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

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
 *   <li>however it ends (result, exception, interrupt), every worker process has ended and the {@code ZContext} is
 *       closed when {@code run} returns: no orphan process, no ZeroMQ thread left behind.
 * </ul>
 *
 * <p>The worker side and its protocol are given ({@link WorkerMain}: its {@code command}, {@code taskMessage} and
 * message constants). A ROUTER socket receives two frames per message, the sender's identity and the text, and
 * sends to a worker with {@code sendMore(identity)} then {@code send(text)}. Give it a receive time-out
 * ({@code setReceiveTimeOut}) so that your loop also gets to look at the worker processes between messages.
 *
 * <p>Things to think about: how do you notice that a worker died, when a dead process sends no message? Which task
 * did it have, and who gets it now? Why can the reduce tasks not start while one map task is still out?
 */
public final class JobManager {
    private final JobConfig config;
    private final JobListener listener;

    public JobManager(JobConfig config, JobListener listener) {
        this.config = Objects.requireNonNull(config, "config");
        this.listener = Objects.requireNonNull(listener, "listener");
    }

    /** Counts the words of {@code inputs}, one map task per file, {@code config.reducers()} reduce tasks. */
    public JobResult run(List<Path> inputs) throws JobFailedException, InterruptedException, IOException {
        // TODO: bind a ROUTER on tcp://127.0.0.1 (any free port) and start the worker processes
        // TODO: loop: receive a message or time out, notice dead workers and requeue their task, hand out tasks;
        //       the reduce tasks only once every map task is done
        // TODO: read the reducers' outputs; send EXIT; make sure every process has ended and the context is closed
        throw new UnsupportedOperationException("TODO: run");
    }
}
