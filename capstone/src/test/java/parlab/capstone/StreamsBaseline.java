package parlab.capstone;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collector;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The baseline the capstone's speed is measured against: the straightforward single-threaded streams answer
 * ({@code Files.lines}, split, {@code groupingBy}), as most people would write it first. Not a test; run it with
 * {@code java -cp <test classpath> parlab.capstone.StreamsBaseline FILE} and compare with {@code CapstoneMain}.
 */
public final class StreamsBaseline {
    private StreamsBaseline() {
    }

    public static Map<String, StationStats> aggregate(Path file) throws IOException {
        try (Stream<String> lines = Files.lines(file, StandardCharsets.UTF_8)) {
            return lines.collect(Collectors.groupingBy(line -> line.substring(0, line.indexOf(';')), TreeMap::new,
                    Collector.of(StationStats::new,
                            (stats, line) -> stats.add((int) Math.round(
                                    Double.parseDouble(line.substring(line.indexOf(';') + 1)) * 10)),
                            (a, b) -> {
                                a.merge(b);
                                return a;
                            })));
        }
    }

    public static void main(String[] args) throws IOException {
        long start = System.nanoTime();
        String result = ResultFormat.format(aggregate(Path.of(args[0])));
        long elapsed = System.nanoTime() - start;
        System.out.println(result);
        System.err.printf("streams baseline: %.2f s%n", elapsed / 1e9);
    }
}
