/**
 * The capstone: a One Billion Row Challenge pipeline as a real program ({@link parlab.capstone.CapstoneMain}).
 * It parses on threads or on supervised worker JVMs ({@code --workers processes}) and stores into DuckDB (embedded,
 * the default) or PostgreSQL ({@code --db jdbc:postgresql://...}).
 *
 * <pre>
 * CapstoneMain (CLI, exit codes) ── InputFile.check ── Database.open / claim
 *        │
 *        ▼
 * Runner ── map the file (MemorySegment) ── Chunker.split ── ChunkSink.committed() → skip those
 *        │       (calling thread: submits while bytes in flight ≤ budget, commits, merges)
 *        ├──► worker threads: ChunkParser.parse(file, chunk) → ChunkResult (partials, rejects, line count)
 *        │      or, --workers processes: Supervisor.parse(chunk) ──► WorkerProcess ══ stdin/stdout ══ WorkerMain
 *        │         (restart, retry with back-off,   (heartbeats,          (a worker JVM: maps the file
 *        │          quarantine; a pool of            crash detection)       itself, ChunkParser.parse)
 *        │          --min-workers..--parallelism
 *        │          JVMs sized by load)
 *        ◄──┘
 *        ├── ChunkSink.commit(result)   one transaction: chunks_done row + partials + rejects
 *        ├── Progress.committed(...)    seam for the progress bar, metrics, dashboard
 *        └── ChunkSink.finish(merged)   one transaction: rejects' line numbers + results
 *
 * SIGTERM / Ctrl-C ── Drain: no new chunk, those in flight commit, database closed, exit 130 (run again: resumes)
 * </pre>
 *
 * Learner work (skeleton in {@code src/main/java}, reference in {@code solutions/}): {@code Chunker},
 * {@code ChunkParser}, {@code ChunkSink}, {@code Runner} (milestone c01), {@code Supervisor} (c02). Everything else
 * here is shared plumbing. The seams: the worker is a function {@code (segment, chunk) -> ChunkResult} (a worker JVM
 * computes the same from its own mapping and sends back only the result), the sink is the only class that speaks
 * SQL for chunks (on a plain {@link java.sql.Connection}, loading rows through
 * {@link parlab.capstone.Database#writer}, so that one sink serves both databases), and
 * {@link parlab.capstone.Progress} is the only observer: the config file, metrics, dashboard, progress bar and log
 * of {@link parlab.capstone.ops} all hang on it.
 */
package parlab.capstone;
