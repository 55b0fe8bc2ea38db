package parlab.stage3.mapreduce;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * The job itself, word count, and the file layout of the shuffle. Plumbing shared by skeleton and reference: the
 * lesson is in how the work is split, moved and recovered ({@link Shuffle}, {@link JobManager}), not in here.
 *
 * <p>Files in the work directory:
 * <ul>
 *   <li>{@code map-<m>-part-<r>.tsv}: what map task m found for partition r, one {@code word<TAB>count} line per word;
 *   <li>{@code out-<r>.tsv}: the total of every word of partition r, sorted by word.
 * </ul>
 */
public final class WordCount {
    private static final Pattern NON_WORD = Pattern.compile("[^\\p{L}\\p{N}']+");

    private WordCount() {
    }

    /** The words of a line: runs of letters, digits and apostrophes, lower-cased. */
    public static List<String> words(String line) {
        List<String> words = new ArrayList<>();
        for (String token : NON_WORD.split(line.toLowerCase(Locale.ROOT))) {
            if (!token.isEmpty()) {
                words.add(token);
            }
        }
        return words;
    }

    /** The baseline: one thread, every file in turn. */
    public static SortedMap<String, Long> sequentialCount(List<Path> inputs) {
        SortedMap<String, Long> counts = new TreeMap<>();
        for (Path input : inputs) {
            try (BufferedReader reader = Files.newBufferedReader(input, StandardCharsets.UTF_8)) {
                for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                    for (String word : words(line)) {
                        counts.merge(word, 1L, Long::sum);
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + input, e);
            }
        }
        return counts;
    }

    /** Where map task {@code map} puts its words of partition {@code partition}. */
    public static Path mapOutput(Path workDir, int map, int partition) {
        return workDir.resolve("map-" + map + "-part-" + partition + ".tsv");
    }

    /** Where reduce task {@code partition} puts its totals. */
    public static Path reduceOutput(Path workDir, int partition) {
        return workDir.resolve("out-" + partition + ".tsv");
    }
}
