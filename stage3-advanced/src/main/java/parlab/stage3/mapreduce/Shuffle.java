package parlab.stage3.mapreduce;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;

/**
 * s3e14 · A local MapReduce engine, part 1: map and reduce, and the shuffle between them, through files.
 *
 * <p>A map task reads one input file, counts its words, and splits the counts into {@code reducers} partitions by
 * the hash of the word, one file per partition ({@link WordCount#mapOutput}). Reduce task r reads partition r of
 * every map task and adds them up ({@link WordCount#reduceOutput}). Because a word always hashes to the same
 * partition, all of its partial counts meet in one reducer, and no two reducers ever see the same word.
 *
 * <p>The contract:
 * <ul>
 *   <li>{@link #partitionOf} is in {@code [0, reducers)} and depends only on the word and {@code reducers}
 *       ({@code String.hashCode} is specified, so every JVM agrees);
 *   <li>a task can be run again (after its worker died, or twice at once): a rerun replaces its files, never adds
 *       to them, so the counts stay exact;
 *   <li>a file is either absent or complete: write to a temporary file in the same directory and move it into place
 *       atomically, so that a worker killed half-way never leaves a truncated file under a final name;
 *   <li>{@code reduce} reads exactly the files {@code map-<m>-part-<r>.tsv} for {@code m} in {@code [0, maps)}
 *       (a missing one is an error: its map task has not finished) and ignores everything else in the directory.
 * </ul>
 *
 * <p>Every file is UTF-8 text with one {@code word<TAB>count} line per word; split words with
 * {@link WordCount#words}. These methods run inside the worker processes ({@link WorkerMain}).
 *
 * <p>Things to think about: what goes wrong if {@code hashCode() % reducers} is used as is? What does a reader see
 * if a writer is killed half-way through {@code Files.write} on the final name?
 */
public final class Shuffle {
    private Shuffle() {
    }

    /** The partition (reduce task) that owns {@code word}. */
    public static int partitionOf(String word, int reducers) {
        // TODO: reject reducers < 1; map the word's hash onto [0, reducers), negative hashes included
        throw new UnsupportedOperationException("TODO: partitionOf");
    }

    /** Map task {@code map}: counts the words of {@code input} and writes one file per partition. */
    public static void map(int map, Path input, int reducers, Path workDir) throws IOException {
        // TODO: count the words of input into one map per partition
        // TODO: write every partition's file (even an empty one) through a temporary file and an atomic move
        throw new UnsupportedOperationException("TODO: map");
    }

    /** Reduce task {@code partition}: adds up partition {@code partition} of all {@code maps} map tasks. */
    public static void reduce(int partition, int maps, Path workDir) throws IOException {
        // TODO: add up map-<m>-part-<partition>.tsv for every m, then write out-<partition>.tsv atomically
        throw new UnsupportedOperationException("TODO: reduce");
    }

    /** Reads a {@code word<TAB>count} file. */
    public static Map<String, Long> read(Path file) throws IOException {
        // TODO: one word<TAB>count per line
        throw new UnsupportedOperationException("TODO: read");
    }
}
