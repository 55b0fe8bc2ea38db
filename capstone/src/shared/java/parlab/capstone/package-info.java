/**
 * The capstone: a One Billion Row Challenge pipeline as a real program ({@link parlab.capstone.CapstoneMain}).
 * This slice runs in thread mode and stores into DuckDB (embedded, the default) or PostgreSQL ({@code --db
 * jdbc:postgresql://...}); process workers, metrics, the dashboard and supervision come later and plug into the
 * seams named below.
 *
 * <pre>
 * CapstoneMain (CLI, exit codes) ── InputFile.check ── Database.open / claim
 *        │
 *        ▼
 * Runner ── map the file (MemorySegment) ── Chunker.split ── ChunkSink.committed() → skip those
 *        │       (calling thread: submits while bytes in flight ≤ budget, commits, merges)
 *        ├──► worker threads: ChunkParser.parse(file, chunk) → ChunkResult (partials, rejects, line count)
 *        ◄──┘
 *        ├── ChunkSink.commit(result)   one transaction: chunks_done row + partials + rejects
 *        ├── Progress.committed(...)    seam for the progress bar, metrics, dashboard
 *        └── ChunkSink.finish(merged)   one transaction: rejects' line numbers + results
 * </pre>
 *
 * Learner work (skeleton in {@code src/main/java}, reference in {@code solutions/}): {@code Chunker},
 * {@code ChunkParser}, {@code ChunkSink}, {@code Runner}. Everything else here is shared plumbing. Seams for later
 * milestones: the worker is a function {@code (segment, chunk) -> ChunkResult} (a worker JVM can compute the same
 * from its own mapping and send back only the result), the sink is the only class that speaks SQL for chunks (on a
 * plain {@link java.sql.Connection}, loading rows through {@link parlab.capstone.Database#writer}, so that one sink
 * serves both databases), and {@link parlab.capstone.Progress} is the only observer: the config file, metrics,
 * dashboard, progress bar and log of {@link parlab.capstone.ops} all hang on it.
 */
package parlab.capstone;
