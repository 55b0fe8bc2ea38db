/**
 * The capstone: a One Billion Row Challenge pipeline as a real program ({@link parlab.capstone.CapstoneMain}).
 * This slice runs on threads or on supervised worker JVMs and stores into DuckDB; PostgreSQL, metrics and the
 * dashboard come later and plug into the seams named below.
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
 *        │          quarantine)                      crash detection)       itself, ChunkParser.parse)
 *        ◄──┘
 *        ├── ChunkSink.commit(result)   one transaction: chunks_done row + partials + rejects
 *        ├── Progress.committed(...)    seam for the progress bar, metrics, dashboard
 *        └── ChunkSink.finish(merged)   one transaction: rejects' line numbers + results
 *
 * SIGTERM / Ctrl-C ── Drain: no new chunk, those in flight commit, database closed, exit 130 (run again: resumes)
 * </pre>
 *
 * Learner work (skeleton in {@code src/main/java}, reference in {@code solutions/}): {@code Chunker},
 * {@code ChunkParser}, {@code ChunkSink}, {@code Runner} (milestone c01), {@code Supervisor} (c02). Everything
 * else here is shared plumbing. Seams for later milestones: the worker is a function {@code (segment, chunk) -> ChunkResult} (a worker JVM can compute the same
 * from its own mapping and send back only the result), the sink is the only class that speaks SQL for chunks, and
 * {@link parlab.capstone.Progress} is the only observer.
 */
package parlab.capstone;
