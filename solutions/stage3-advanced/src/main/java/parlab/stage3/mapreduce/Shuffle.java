package parlab.stage3.mapreduce;

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

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
 * <p>Reference solution. Other ways: Hadoop sorts each map's output by key and the reducer merges sorted runs, so
 * that a reducer never needs all of its keys in memory; here a reducer's partition fits in a {@code HashMap}.
 */
public final class Shuffle {
    private Shuffle() {
    }

    /** The partition (reduce task) that owns {@code word}. */
    public static int partitionOf(String word, int reducers) {
        if (reducers < 1) {
            throw new IllegalArgumentException("reducers must be at least 1, was " + reducers);
        }
        return Math.floorMod(word.hashCode(), reducers);
    }

    /** Map task {@code map}: counts the words of {@code input} and writes one file per partition. */
    public static void map(int map, Path input, int reducers, Path workDir) throws IOException {
        List<Map<String, Long>> partitions = new java.util.ArrayList<>();
        for (int r = 0; r < reducers; r++) {
            partitions.add(new HashMap<>());
        }
        try (BufferedReader reader = Files.newBufferedReader(input, StandardCharsets.UTF_8)) {
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                for (String word : WordCount.words(line)) {
                    partitions.get(partitionOf(word, reducers)).merge(word, 1L, Long::sum);
                }
            }
        }
        for (int r = 0; r < reducers; r++) {
            writeAtomically(WordCount.mapOutput(workDir, map, r), partitions.get(r));
        }
    }

    /** Reduce task {@code partition}: adds up partition {@code partition} of all {@code maps} map tasks. */
    public static void reduce(int partition, int maps, Path workDir) throws IOException {
        SortedMap<String, Long> totals = new TreeMap<>();
        for (int m = 0; m < maps; m++) {
            read(WordCount.mapOutput(workDir, m, partition)).forEach((word, count) -> totals.merge(word, count, Long::sum));
        }
        writeAtomically(WordCount.reduceOutput(workDir, partition), totals);
    }

    /** Reads a {@code word<TAB>count} file. */
    public static Map<String, Long> read(Path file) throws IOException {
        Map<String, Long> counts = new HashMap<>();
        try (BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                int tab = line.lastIndexOf('\t');
                counts.merge(line.substring(0, tab), Long.parseLong(line.substring(tab + 1)), Long::sum);
            }
        }
        return counts;
    }

    private static void writeAtomically(Path target, Map<String, Long> counts) throws IOException {
        Path temp = Files.createTempFile(target.getParent(), target.getFileName() + ".", ".tmp");
        try {
            try (BufferedWriter writer = Files.newBufferedWriter(temp, StandardCharsets.UTF_8)) {
                for (Map.Entry<String, Long> entry : new TreeMap<>(counts).entrySet()) {
                    writer.write(entry.getKey());
                    writer.write('\t');
                    writer.write(Long.toString(entry.getValue()));
                    writer.newLine();
                }
            }
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(temp); // gone already after a successful move
        }
    }
}
