package parlab.capstone;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.channels.FileChannel;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.CompletionService;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorCompletionService;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One run, in thread mode: map the file, cut it ({@link Chunker}), skip the chunks an earlier run committed, parse
 * the others on {@code parallelism} worker threads ({@link ChunkParser}), commit the results as they come
 * ({@link ChunkSink}), merge every partial into the final result and {@link ChunkSink#finish finish}.
 *
 * <p>Threads and ownership: the calling thread is the only one that submits, commits and merges; it owns the sink,
 * the connection and the merged map. Workers read the shared read-only mapping and return new objects through
 * their futures (the hand-off that makes them visible). Backpressure: the calling thread hands out a chunk only
 * while the bytes of the chunks handed out and not yet committed stay within {@code maxBytesInFlight} (one chunk
 * always goes, whatever its size), so a slow database slows the reading instead of piling results up in memory.
 *
 * <p>Group commit: each transaction has a fixed cost (planning, the log's write and sync, a flush per writer, about
 * 8 ms of the committing thread's CPU here, against 70 ms to parse a 32 MB chunk). So a finished result is held, not
 * committed, while the workers still have chunks queued: everything held goes in one transaction once no more than
 * {@code parallelism} chunks are out (each worker is on its last one), or nothing is left to hand out, or a drain is
 * requested. Held results still count in the bytes in flight, which is why the default budget is 4 chunks per
 * worker: with 2 workers, about 5 chunks per transaction (a 100M-row run: 13 transactions instead of 45).
 * Chunks commit in the order they finish, not in file order: that is why a reject's line number is computed in
 * {@code finish}, when the line counts of all chunks are known.
 *
 * <p>On any failure the workers are interrupted and joined before the mapping is unmapped, the chunk in progress
 * is rolled back, and the chunks committed before stay: the next run resumes from them.
 *
 * <p>Process mode ({@link WorkerMode#PROCESSES}): the pool threads do not parse; each hands its chunk to a
 * {@link Supervisor} of {@code parallelism} worker JVMs and waits. Everything else is the same loop, so the
 * backpressure, the commits and the merge, hence the result, are those of thread mode. A chunk the supervisor
 * quarantines is left out and reported ({@link RunReport#quarantined()}); the run goes on.
 *
 * <p>Drain ({@link Drain#requested()}, on {@code SIGTERM} or Ctrl-C): no chunk is handed out any more, those in
 * flight finish and commit, and the run returns without {@code finish}, reporting the chunks left
 * ({@link RunReport#unfinished()}).
 */
public final class Runner {
    private Runner() {
    }

    public static RunReport run(Config config, Connection db, Progress progress)
            throws IOException, SQLException, InterruptedException {
        return run(config, db, progress, new Drain());
    }

    public static RunReport run(Config config, Connection db, Progress progress, Drain drain)
            throws IOException, SQLException, InterruptedException {
        try (FileChannel channel = FileChannel.open(config.input(), StandardOpenOption.READ);
                Arena arena = Arena.ofShared()) {
            MemorySegment file = channel.map(FileChannel.MapMode.READ_ONLY, 0, channel.size(), arena);
            List<Chunk> chunks = Chunker.split(file, config.chunkSize());
            try (ChunkSink sink = new ChunkSink(db)) {
                SortedMap<String, StationStats> merged = new TreeMap<>();
                long[] totals = new long[2]; // rows, rejects
                Map<Integer, ChunkResult> done = sink.committed();
                Deque<Chunk> todo = new ArrayDeque<>();
                for (Chunk chunk : chunks) {
                    ChunkResult earlier = done.get(chunk.id());
                    if (earlier == null) {
                        todo.add(chunk);
                    } else if (!earlier.chunk().equals(chunk)) {
                        throw new CapstoneException(ExitCode.DATABASE_OF_ANOTHER_RUN, "the database's chunk "
                                + earlier.chunk() + " does not match this input's " + chunk
                                + "; pass another --db or delete it");
                    } else {
                        merge(merged, totals, earlier);
                    }
                }
                if (done.size() > chunks.size()) {
                    throw new CapstoneException(ExitCode.DATABASE_OF_ANOTHER_RUN, "the database holds "
                            + done.size() + " chunks, this input has " + chunks.size() + "; pass another --db");
                }
                int skipped = chunks.size() - todo.size();
                List<Chunk> quarantined = new ArrayList<>();
                work(config, file, todo, sink, merged, totals, skipped, chunks.size(), progress, drain, quarantined);
                if (!todo.isEmpty()) { // drained: the result is not known yet
                    return new RunReport(chunks.size(), skipped, totals[0], totals[1], merged, quarantined,
                            todo.size());
                }
                sink.finish(merged);
                return new RunReport(chunks.size(), skipped, totals[0], totals[1], merged, quarantined, 0);
            }
        }
    }

    private static void work(Config config, MemorySegment file, Deque<Chunk> todo, ChunkSink sink,
            SortedMap<String, StationStats> merged, long[] totals, int committed, int total, Progress progress,
            Drain drain, List<Chunk> quarantined) throws IOException, SQLException, InterruptedException {
        AtomicInteger threadNumber = new AtomicInteger();
        try (Supervisor supervisor = config.workers() == WorkerMode.PROCESSES
                ? new Supervisor(WorkerProcess.factory(config.input(), config.supervision()), config.parallelism(),
                        config.supervision(), Sleeper.REAL, progress)
                : null;
                ExecutorService pool = Executors.newFixedThreadPool(config.parallelism(),
                        task -> new Thread(task, "capstone-worker-" + threadNumber.getAndIncrement()))) {
            CompletionService<ChunkResult> results = new ExecutorCompletionService<>(pool);
            Deque<Future<ChunkResult>> running = new ArrayDeque<>();
            long inFlight = 0;
            List<ChunkResult> held = new ArrayList<>(); // finished, not committed yet (still in flight)
            try {
                while ((!todo.isEmpty() && !drain.requested()) || !running.isEmpty()) {
                    while (!todo.isEmpty() && !drain.requested()
                            && (running.isEmpty() || inFlight + todo.peek().size() <= config.maxBytesInFlight())) {
                        Chunk chunk = todo.poll();
                        running.add(results.submit(supervisor == null ? () -> parseAndRelease(file, chunk)
                                : () -> supervisor.parse(chunk)));
                        inFlight += chunk.size();
                        progress.started(chunk, inFlight);
                    }
                    Future<ChunkResult> finished = results.take();
                    running.remove(finished);
                    try {
                        held.add(result(finished));
                    } catch (ChunkQuarantinedException q) {
                        quarantined.add(q.chunk());
                        inFlight -= q.chunk().size();
                    }
                    if (!held.isEmpty() && (running.size() <= config.parallelism() || todo.isEmpty()
                            || drain.requested())) {
                        sink.commit(held);
                        for (ChunkResult result : held) {
                            inFlight -= result.chunk().size();
                            merge(merged, totals, result);
                            progress.committed(result, ++committed, total);
                        }
                        held.clear();
                    }
                }
            } finally {
                running.forEach(f -> f.cancel(true));
                pool.shutdownNow();
            }
        }
    }

    /**
     * Parses a chunk, then lets its pages of the mapping go ({@code unload}: the kernel drops them from this
     * process, the file stays in the page cache). Without it the whole file ends up resident in the process (1.5 GB
     * for 100M rows), and unmapping it at the end takes 60–80 ms on one core while the other waits; this way each
     * worker gives its pages back as it goes.
     */
    private static ChunkResult parseAndRelease(MemorySegment file, Chunk chunk) {
        ChunkResult result = ChunkParser.parse(file, chunk);
        file.asSlice(chunk.start(), chunk.size()).unload();
        return result;
    }

    private static ChunkResult result(Future<ChunkResult> future)
            throws InterruptedException, IOException, ChunkQuarantinedException {
        try {
            return future.get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof ChunkQuarantinedException q) {
                throw q;
            }
            if (e.getCause() instanceof IOException io) {
                throw io;
            }
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            if (e.getCause() instanceof Error error) {
                throw error;
            }
            throw new IllegalStateException("a worker failed", e.getCause());
        }
    }

    private static void merge(SortedMap<String, StationStats> merged, long[] totals, ChunkResult result) {
        result.stations().forEach((station, stats) -> merged.computeIfAbsent(station, s -> new StationStats())
                .merge(stats));
        totals[0] += result.rows();
        totals[1] += result.rejected();
    }
}
