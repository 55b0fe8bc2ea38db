package parlab.capstone;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.FutureTask;
import org.duckdb.DuckDBConnection;
import parlab.onebrc.Generator;
import parlab.testing.ChildJvm;

/** Inputs, databases and queries the capstone's tests share. */
final class Fixtures {
    private Fixtures() {
    }

    /** A generated 1BRC file ({@link Generator}: seeded, with its expected result beside it as {@code .out}). */
    static Path generate(Path dir, long rows, long seed, int stations) throws IOException, InterruptedException {
        Path file = dir.resolve("gen-" + rows + "-" + seed + "-" + stations + ".txt");
        new Generator(rows, seed, stations).write(file, 1, written -> { });
        return file;
    }

    /**
     * Runs the program in a child JVM to its end: closes its stdin, reads its stdout and stderr (both at once, so
     * that neither pipe fills up and stalls it) and waits at most {@code limit} for its exit code.
     */
    static CliTest.Outcome runToEnd(List<String> jvm, Duration limit, String... args) throws Exception {
        try (ChildJvm child = ChildJvm.start(CapstoneMain.class, jvm, args)) {
            child.process().getOutputStream().close();
            FutureTask<String> err = new FutureTask<>(() -> new String(child.process().getErrorStream().readAllBytes(),
                    StandardCharsets.UTF_8));
            Thread reader = Thread.ofPlatform().name("capstone-stderr-reader").start(err);
            String out = new String(child.process().getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            int code = child.waitFor(limit);
            reader.join();
            return new CliTest.Outcome(code, out, err.get());
        }
    }

    static String expected(Path generated) throws IOException {
        return Files.readString(Generator.expectedFile(generated)).strip();
    }

    /** A fresh DuckDB file with the capstone's tables. */
    static DuckDBConnection database(Path file) {
        return (DuckDBConnection) Database.open("jdbc:duckdb:" + file);
    }

    static DuckDBConnection reopen(Path file) throws SQLException {
        return (DuckDBConnection) DriverManager.getConnection("jdbc:duckdb:" + file);
    }

    /** Maps {@code file} read-only for the duration of {@code arena}. */
    static MemorySegment map(Path file, Arena arena) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            return channel.map(FileChannel.MapMode.READ_ONLY, 0, channel.size(), arena);
        }
    }

    static MemorySegment bytes(String text, Arena arena) {
        byte[] bytes = text.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        MemorySegment segment = arena.allocate(Math.max(1, bytes.length));
        MemorySegment.copy(MemorySegment.ofArray(bytes), 0, segment, 0, bytes.length);
        return segment.asSlice(0, bytes.length);
    }

    static long count(Connection db, String sql) throws SQLException {
        try (Statement s = db.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** The {@code results} table in the challenge's format, read back from the database. */
    static String resultsTable(Connection db) throws SQLException {
        List<String> entries = new ArrayList<>();
        try (Statement s = db.createStatement(); ResultSet rs = s.executeQuery(
                "SELECT station, min, mean, max FROM " + Database.RESULTS)) {
            java.util.TreeMap<String, String> sorted = new java.util.TreeMap<>();
            while (rs.next()) {
                sorted.put(rs.getString(1), rs.getBigDecimal(2).toPlainString() + "/"
                        + rs.getBigDecimal(3).toPlainString() + "/" + rs.getBigDecimal(4).toPlainString());
            }
            sorted.forEach((k, v) -> entries.add(k + "=" + v));
        }
        return "{" + String.join(", ", entries) + "}";
    }

    /** Rejects as {@code line:offset:reason} strings, in line order. */
    static List<String> rejectsTable(Connection db) throws SQLException {
        List<String> rows = new ArrayList<>();
        try (Statement s = db.createStatement(); ResultSet rs = s.executeQuery(
                "SELECT line_number, byte_offset, reason, raw FROM " + Database.REJECTS + " ORDER BY byte_offset")) {
            while (rs.next()) {
                rows.add(rs.getLong(1) + ":" + rs.getLong(2) + ":" + rs.getString(3) + ":" + rs.getString(4));
            }
        }
        return rows;
    }
}
