package parlab.capstone;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The other yardstick of the capstone's speed: DuckDB doing the whole job itself, in one statement, on a fresh
 * database file: {@code CREATE TABLE results AS SELECT station, min(t), avg(t), max(t) FROM read_csv(FILE, ...)
 * GROUP BY station}. Not a test; {@code capstone/bench.sh} runs it as {@code java -cp <test class path>
 * parlab.capstone.DuckDbCtas FILE DB_FILE}. Prints the table in the challenge's format on stdout, read back after
 * the timing; the mean is DuckDB's {@code avg}, a {@code DOUBLE}, shown with one decimal rounded half up, so it may
 * differ from the exact answer by a tenth where the exact mean ends in 5 hundredths.
 */
public final class DuckDbCtas {
    private DuckDbCtas() {
    }

    public static void main(String[] args) throws SQLException, IOException {
        if (args.length == 3 && args[0].equals("--check")) {
            String verdict = check(Files.readString(Path.of(args[1])).strip(), Files.readString(Path.of(args[2])).strip());
            System.out.println(verdict);
            System.exit(verdict.startsWith("ok") ? 0 : 1);
        }
        Path input = Path.of(args[0]).toAbsolutePath();
        Path db = Path.of(args[1]).toAbsolutePath();
        long started = System.nanoTime();
        try (Connection connection = DriverManager.getConnection("jdbc:duckdb:" + db);
                Statement s = connection.createStatement()) {
            long opened = System.nanoTime();
            s.execute("CREATE TABLE results AS SELECT station, min(t) AS min, avg(t) AS mean, max(t) AS max"
                    + " FROM read_csv('" + input.toString().replace("'", "''") + "', delim = ';', header = false,"
                    + " columns = {'station': 'VARCHAR', 't': 'DECIMAL(3,1)'}) GROUP BY station");
            long done = System.nanoTime();
            Map<String, String> results = new TreeMap<>();
            try (ResultSet rs = s.executeQuery("SELECT station, min, mean, max FROM results")) {
                while (rs.next()) {
                    results.put(rs.getString(1), rs.getBigDecimal(2).toPlainString() + "/"
                            + tenths(rs.getDouble(3)) + "/" + rs.getBigDecimal(4).toPlainString());
                }
            }
            System.out.println(results);
            System.err.printf("duckdb: open %.2f s, create table as select %.2f s%n", (opened - started) / 1e9,
                    (done - opened) / 1e9);
        }
    }

    private static final Pattern ENTRY = Pattern.compile("(.+?)=(-?\\d+\\.\\d)/(-?\\d+\\.\\d)/(-?\\d+\\.\\d)(?:, |}$)");

    /**
     * Compares a result in the challenge's format with the expected one, allowing the means to differ by a tenth
     * (DuckDB's {@code avg} is a {@code DOUBLE}): "ok ..." or what differs first.
     */
    static String check(String expected, String actual) {
        if (expected.equals(actual)) {
            return "ok";
        }
        Map<String, double[]> want = entries(expected);
        Map<String, double[]> got = entries(actual);
        if (!want.keySet().equals(got.keySet())) {
            return "WRONG: " + want.size() + " stations expected, " + got.size() + " found, or other names";
        }
        int offByRounding = 0;
        for (Map.Entry<String, double[]> e : want.entrySet()) {
            double[] w = e.getValue();
            double[] g = got.get(e.getKey());
            if (w[0] != g[0] || w[2] != g[2] || Math.abs(w[1] - g[1]) > 0.1 + 1e-9) {
                return "WRONG: " + e.getKey() + " expected " + w[0] + "/" + w[1] + "/" + w[2] + ", found " + g[0] + "/"
                        + g[1] + "/" + g[2];
            }
            offByRounding += w[1] != g[1] ? 1 : 0;
        }
        return "ok (" + offByRounding + " mean(s) rounded the other way)";
    }

    private static Map<String, double[]> entries(String result) {
        Map<String, double[]> entries = new TreeMap<>();
        Matcher m = ENTRY.matcher(result.startsWith("{") ? result.substring(1) : result);
        while (m.find()) {
            entries.put(m.group(1), new double[] {Double.parseDouble(m.group(2)), Double.parseDouble(m.group(3)),
                    Double.parseDouble(m.group(4))});
        }
        return entries;
    }

    /** One decimal, half up as the challenge rounds ({@code Math.round}): -0.25 gives -0.2. */
    private static String tenths(double mean) {
        return BigDecimal.valueOf(Math.round(mean * 10), 1).toPlainString();
    }
}
