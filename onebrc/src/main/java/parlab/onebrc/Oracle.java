package parlab.onebrc;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * The plainest correct answer to the challenge: read line by line, keep a sorted map of {@link Stats}. Slow, but
 * independent of every clever reader in the workbook, so tests compare those readers with it on inputs nobody
 * wrote an expected output for.
 */
public final class Oracle {
    private static final Pattern TEMPERATURE = Pattern.compile("-?\\d{1,2}\\.\\d");

    private Oracle() {
    }

    /** The result of a well-formed file in the challenge's format: {@code {name=min/mean/max, ...}}. */
    public static String resultOf(Path file) throws IOException {
        Map<String, Stats> stations = new TreeMap<>();
        try (BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            long lineNumber = 0;
            for (String line; (line = reader.readLine()) != null; ) {
                lineNumber++;
                int semicolon = line.lastIndexOf(';');
                String value = semicolon < 0 ? "" : line.substring(semicolon + 1);
                if (semicolon <= 0 || !TEMPERATURE.matcher(value).matches()) {
                    throw new IllegalArgumentException(file + ":" + lineNumber + ": not <station>;<temperature>: "
                            + line);
                }
                int tenths = Integer.parseInt(value.replace(".", ""));
                stations.computeIfAbsent(line.substring(0, semicolon), name -> new Stats()).add(tenths);
            }
        }
        return format(stations);
    }

    /** {@code {a=-1.0/2.0/3.0, b=...}}: stations in {@code String} order. */
    public static String format(Map<String, Stats> stations) {
        return new TreeMap<>(stations).toString();
    }
}
