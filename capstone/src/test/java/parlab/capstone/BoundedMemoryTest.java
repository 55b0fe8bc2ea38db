package parlab.capstone;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.duckdb.DuckDBConnection;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Memory does not grow with the input: the program, in a child JVM with a 32 MB heap, aggregates a file larger than
 * that heap, which ends with millions of bad lines, exactly, and counts every bad line. A design that
 * keeps a line, a reject or a buffer per line of the input runs out of heap here.
 */
class BoundedMemoryTest {
    private static final int BAD_LINES = 4_000_000;

    @TempDir
    Path dir;

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS) // a child JVM that loads DuckDB, on a shared 2-core machine
    void aFileOfManyBadLinesLargerThanTheHeapRunsIn32Mb() throws Exception {
        Path input = Fixtures.generate(dir, 2_000_000, 5, 413);
        String expected = Fixtures.expected(input);
        byte[] block = "bad\n".repeat(100_000).getBytes(StandardCharsets.US_ASCII);
        try (OutputStream out = Files.newOutputStream(input, StandardOpenOption.APPEND)) {
            for (int i = 0; i < BAD_LINES / 100_000; i++) {
                out.write(block);
            }
        }
        assertThat(Files.size(input)).as("the input is larger than the heap").isGreaterThan(32L << 20);
        Path db = dir.resolve("bounded.duckdb");
        CliTest.Outcome run = Fixtures.runToEnd(List.of("-Xmx32m", "--enable-native-access=ALL-UNNAMED"),
                Duration.ofSeconds(100), "--input", input.toString(), "--db-file", db.toString(), "--parallelism", "2");
        assertThat(run.code()).as("exit code with a 32 MB heap (stderr: %s)", run.err()).isZero();
        assertThat(run.out().strip()).as("the exact result of the good lines").isEqualTo(expected);
        assertThat(run.err()).as("every bad line is counted").contains(BAD_LINES + " bad line(s)");
        try (DuckDBConnection connection = Fixtures.reopen(db)) {
            assertThat(Fixtures.count(connection, "SELECT sum(rejects) FROM " + Database.CHUNKS_DONE))
                    .as("chunks_done counts every bad line").isEqualTo(BAD_LINES);
            long chunks = Fixtures.count(connection, "SELECT count(*) FROM " + Database.CHUNKS_DONE);
            assertThat(Fixtures.count(connection, "SELECT count(*) FROM " + Database.REJECTS))
                    .as("the rejects table keeps at most %d bad lines per chunk", ChunkParser.MAX_REJECTS_KEPT)
                    .isBetween(1L, chunks * ChunkParser.MAX_REJECTS_KEPT);
        }
    }
}
