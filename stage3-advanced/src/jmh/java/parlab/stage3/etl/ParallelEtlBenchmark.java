package parlab.stage3.etl;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Comparator;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.duckdb.DuckDBConnection;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * s3e13 · Rows per second, from a CSV file to a DuckDB table.
 *
 * <p>One file of 1,000,000 sales lines (one in a thousand bad), generated once per trial; every invocation loads
 * it into a fresh DuckDB database file. The baseline is DuckDB's own reader, {@code CREATE TABLE ... AS SELECT
 * ... FROM read_csv(...)} with its rejects table on: native code, every core, no JDBC in between. Your
 * {@code parallelEtl} runs with one worker per core and 4 MB chunks, seven of them. Each chunk is one transaction,
 * and a commit costs a few milliseconds, so much smaller chunks spend more of the time committing; but with several
 * loaders the chunks must also be enough to share evenly: 8 MB chunks make four, one of them small, and two workers
 * then load about a third slower (measured side by side). {@code ./lab bench etl} prints rows per second (higher is
 * better) and the ratio to DuckDB's. Expect the native reader to win: appenders fed through JNI are the narrow
 * stage of the pipeline. Measured on a quiet 2-core machine ({@code --jmh="-i 10 -r 3"}): the reference, a loader
 * per worker, 1.51 ± 0.27 M rows/s, 0.62x DuckDB's reader (2.43 ± 0.50 M); a single loader, the calling thread,
 * about 0.9 M rows/s, 0.4x. Side by side on a busy machine the single loader made 0.44 M rows/s where the reference
 * made 1.23 M. {@code --jmh="-i 10"} narrows the error.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 3)
@Fork(1)
@OperationsPerInvocation(ParallelEtlBenchmark.ROWS)
public class ParallelEtlBenchmark {
    static final int ROWS = 1_000_000;

    private Path dir;
    private Path csv;
    private Path database;
    private DuckDBConnection db;
    private int run;

    @Setup(Level.Trial)
    public void generate() throws IOException {
        dir = Files.createTempDirectory("etl-bench");
        csv = dir.resolve("sales.csv");
        Random random = new Random(13);
        String[] names = {"Alice", "Bob", "Zoë", "\"Smith, Jo\"", "東京 store", "\"Big \"\"Q\"\" Ltd\""};
        try (BufferedWriter out = Files.newBufferedWriter(csv, StandardCharsets.UTF_8)) {
            out.write(SalesCsv.HEADER);
            out.write('\n');
            for (int i = 0; i < ROWS; i++) {
                int cents = random.nextInt(1_000_000);
                String line = i + "," + names[random.nextInt(names.length)] + "," + cents / 100 + "."
                        + (cents % 100 < 10 ? "0" : "") + cents % 100 + "," + random.nextInt(50);
                out.write(i % 1000 == 999 ? line + ",oops" : line);
                out.write('\n');
            }
        }
    }

    @Setup(Level.Invocation)
    public void openFreshDatabase() throws SQLException {
        database = dir.resolve("load-" + run++ + ".duckdb");
        db = (DuckDBConnection) DriverManager.getConnection("jdbc:duckdb:" + database);
    }

    @TearDown(Level.Invocation)
    public void dropDatabase() throws SQLException, IOException {
        db.close();
        Files.deleteIfExists(database);
        Files.deleteIfExists(Path.of(database + ".wal"));
    }

    @TearDown(Level.Trial)
    public void removeFiles() throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    @Benchmark
    public long duckdbReadCsv() throws SQLException {
        try (Statement statement = db.createStatement()) {
            return statement.executeUpdate("CREATE TABLE sales AS SELECT id, name, "
                    + "CAST(amount * 100 AS BIGINT) AS amount_cents, quantity, "
                    + "CAST(amount * 100 AS BIGINT) * quantity AS total_cents FROM read_csv('" + csv + "', header = true, "
                    + "columns = {'id': 'BIGINT', 'name': 'VARCHAR', 'amount': 'DECIMAL(18,2)', 'quantity': 'INTEGER'}, "
                    + "quote = '\"', escape = '\"', store_rejects = true)");
        }
    }

    @Benchmark
    public long parallelEtl() throws IOException, SQLException {
        return ParallelEtl.load(csv, db, Runtime.getRuntime().availableProcessors(), 4 << 20,
                Thread.ofPlatform().name("etl-worker-", 0).factory()).rowsLoaded();
    }
}
