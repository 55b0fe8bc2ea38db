package parlab.stage3.etl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadFactory;
import java.util.function.IntUnaryOperator;
import org.duckdb.DuckDBConnection;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import parlab.testing.Threads;

class ParallelEtlTest {
    @TempDir
    Path dir;
    DuckDBConnection db;

    @BeforeEach
    void openDatabase() throws SQLException {
        db = (DuckDBConnection) DriverManager.getConnection("jdbc:duckdb:" + dir.resolve("etl.duckdb"));
    }

    @AfterEach
    void closeDatabase() throws SQLException {
        db.close();
    }

    /** A factory that remembers every thread it made. */
    static final class RecordingFactory implements ThreadFactory {
        final List<Thread> made = new CopyOnWriteArrayList<>();

        @Override
        public Thread newThread(Runnable task) {
            Thread thread = new Thread(task, "etl-worker-" + made.size());
            made.add(thread);
            return thread;
        }
    }

    // ---- the expected contents, worked out here from the generator's own values (not with SalesCsv) ----

    record Row(long id, String name, long amountCents, int quantity, long totalCents) {
    }

    record Rejected(long line, String raw, String reasonContains) {
    }

    /** A generated input file and what loading it must give. */
    record Input(Path file, List<Row> rows, List<Rejected> rejects, int lines) {
    }

    private static final String[] NAMES = {"Alice", "Bob", "Zoë", "東京 store", "\"Smith, Jo\"", "\"Big \"\"Q\"\" Ltd\"",
        "\"a,b,c\"", "O'Neil", "\"\"\"quoted\"\"\""};
    private static final String[] NAME_VALUES = {"Alice", "Bob", "Zoë", "東京 store", "Smith, Jo", "Big \"Q\" Ltd",
        "a,b,c", "O'Neil", "\"quoted\""};

    /** {@code count} lines after the header, about one in 20 of them bad in one of several ways. Seeded: always the same. */
    static Input generate(Path file, int count, long seed) throws IOException {
        Random random = new Random(seed);
        StringBuilder text = new StringBuilder(SalesCsv.HEADER).append('\n');
        List<Row> rows = new ArrayList<>();
        List<Rejected> rejects = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            long line = i + 2;
            long id = 1_000_000L + i;
            int name = random.nextInt(NAMES.length);
            long cents = random.nextInt(2_000_000) - 100_000;
            int quantity = random.nextInt(50);
            String amount = amount(cents, random.nextInt(3));
            String raw;
            if (random.nextInt(20) == 0) {
                String[] bad = {
                    id + "," + NAMES[name] + "," + amount,                                   // 3 fields
                    id + "," + NAMES[name] + "," + amount + "," + quantity + ",extra",       // 5 fields
                    id + "," + NAMES[name] + ",12.3x," + quantity,                           // amount not a number
                    "x" + id + "," + NAMES[name] + "," + amount + "," + quantity,            // id not a number
                    id + "," + NAMES[name] + "," + amount + ",many",                         // quantity not a number
                    id + ",\"unterminated, " + amount + "," + quantity,                      // open quote
                    "",                                                                      // empty line
                };
                String[] reasons = {"expected 4 fields, found 3", "expected 4 fields, found 5",
                    "amount is not a number", "id is not a number", "quantity is not a number", "unterminated quote",
                    "expected 4 fields, found 1"};
                int kind = random.nextInt(bad.length);
                raw = bad[kind];
                rejects.add(new Rejected(line, raw, reasons[kind]));
            } else {
                raw = id + "," + NAMES[name] + "," + amount + "," + quantity;
                rows.add(new Row(id, NAME_VALUES[name], cents, quantity, cents * quantity));
            }
            text.append(raw).append('\n');
        }
        Files.writeString(file, text, StandardCharsets.UTF_8);
        return new Input(file, rows, rejects, count + 1);
    }

    /** {@code cents} written with 0, 1 or 2 digits after the point, whichever keeps its value exact. */
    private static String amount(long cents, int style) {
        String sign = cents < 0 ? "-" : "";
        long abs = Math.abs(cents);
        if (style == 0 && abs % 100 == 0) {
            return sign + abs / 100;
        }
        if (style == 1 && abs % 10 == 0) {
            return sign + abs / 100 + "." + (abs % 100) / 10;
        }
        return sign + abs / 100 + "." + String.format("%02d", abs % 100);
    }

    private List<Row> salesTable() throws SQLException {
        List<Row> rows = new ArrayList<>();
        try (Statement s = db.createStatement();
                ResultSet r = s.executeQuery("SELECT id, name, amount_cents, quantity, total_cents FROM sales ORDER BY id")) {
            while (r.next()) {
                rows.add(new Row(r.getLong(1), r.getString(2), r.getLong(3), r.getInt(4), r.getLong(5)));
            }
        }
        return rows;
    }

    private List<Object[]> rejectsTable() throws SQLException {
        List<Object[]> rows = new ArrayList<>();
        try (Statement s = db.createStatement();
                ResultSet r = s.executeQuery("SELECT line, raw, reason FROM rejects ORDER BY line, raw")) {
            while (r.next()) {
                rows.add(new Object[] {r.getLong(1), r.getString(2), r.getString(3)});
            }
        }
        return rows;
    }

    private long[] aggregates() throws SQLException {
        try (Statement s = db.createStatement();
                ResultSet r = s.executeQuery("SELECT count(*), count(DISTINCT id), coalesce(sum(id), 0), "
                        + "coalesce(sum(amount_cents), 0), coalesce(sum(quantity), 0), coalesce(sum(total_cents), 0), "
                        + "coalesce(sum(length(name)), 0) FROM sales")) {
            r.next();
            long[] values = new long[7];
            for (int i = 0; i < values.length; i++) {
                values[i] = r.getLong(i + 1);
            }
            return values;
        }
    }

    private static long[] expectedAggregates(List<Row> rows) {
        return new long[] {rows.size(), rows.stream().mapToLong(Row::id).distinct().count(),
            rows.stream().mapToLong(Row::id).sum(), rows.stream().mapToLong(Row::amountCents).sum(),
            rows.stream().mapToLong(Row::quantity).sum(), rows.stream().mapToLong(Row::totalCents).sum(),
            rows.stream().mapToLong(r -> r.name().codePointCount(0, r.name().length())).sum()};
    }

    private void assertRejects(List<Rejected> expected) throws SQLException {
        List<Object[]> actual = rejectsTable();
        assertThat(actual.stream().map(r -> (Long) r[0]).toList())
                .as("line numbers in the rejects table (1-based, the header is line 1): a wrong number means a chunk's "
                        + "lines were counted from the wrong start")
                .containsExactlyElementsOf(expected.stream().map(Rejected::line).toList());
        for (int i = 0; i < expected.size(); i++) {
            Rejected want = expected.get(i);
            assertThat(actual.get(i)[1]).as("raw text of the rejected line %d", want.line()).isEqualTo(want.raw());
            assertThat((String) actual.get(i)[2]).as("reason for rejecting line %d (%s)", want.line(), want.raw())
                    .contains(want.reasonContains());
        }
    }

    // ---- chunks ----

    @ParameterizedTest(name = "target {0} bytes")
    @ValueSource(longs = {1, 7, 64, 1000, 1 << 20})
    void chunksCoverTheFileAndEndAtLineBreaks(long target) throws IOException {
        Path file = generate(dir.resolve("in.csv"), 400, 7).file();
        byte[] bytes = Files.readAllBytes(file);
        List<Chunk> chunks = ParallelEtl.chunks(file, target);
        assertThat(chunks).as("chunks of a %d-byte file", bytes.length).isNotEmpty();
        long expectedStart = 0;
        for (int i = 0; i < chunks.size(); i++) {
            Chunk chunk = chunks.get(i);
            assertThat(chunk.index()).as("index of chunk %d", i).isEqualTo(i);
            assertThat(chunk.start()).as("start of chunk %d: right where chunk %d ended (no gap, no overlap)", i, i - 1)
                    .isEqualTo(expectedStart);
            assertThat(chunk.length()).as("length of chunk %d", i).isPositive();
            if (chunk.end() < bytes.length) {
                assertThat((char) bytes[(int) chunk.end() - 1]).as("last byte of chunk %d: a chunk must end just after a '\\n'", i)
                        .isEqualTo('\n');
                assertThat(chunk.length()).as("chunk %d is at least the target size", i).isGreaterThanOrEqualTo(target);
                long firstBreak = chunk.start() + target - 1;
                while (bytes[(int) firstBreak] != '\n') {
                    firstBreak++;
                }
                assertThat(chunk.end()).as("chunk %d ends at the first line break at or after start + target - 1", i)
                        .isEqualTo(firstBreak + 1);
            }
            expectedStart = chunk.end();
        }
        assertThat(expectedStart).as("end of the last chunk: the end of the file").isEqualTo(bytes.length);
    }

    @Test
    void aTargetOfOneByteGivesOneChunkPerLine() throws IOException {
        Path file = dir.resolve("lines.csv");
        Files.writeString(file, SalesCsv.HEADER + "\n1,a,1,1\n\n2,\"東京, b\",2,2\n3,c,3,3");
        assertThat(ParallelEtl.chunks(file, 1)).as("chunks of 5 lines, the last without a line break")
                .extracting(Chunk::start, Chunk::end)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(0L, 24L), org.assertj.core.groups.Tuple.tuple(24L, 32L),
                        org.assertj.core.groups.Tuple.tuple(32L, 33L), org.assertj.core.groups.Tuple.tuple(33L, 51L),
                        org.assertj.core.groups.Tuple.tuple(51L, 58L));
    }

    // ---- load ----

    @ParameterizedTest(name = "{0} workers, chunks of {1} bytes")
    @CsvSource({"1, 1048576", "3, 2048", "4, 16384"})
    void theTableHoldsExactlyTheGoodRowsWhateverTheWorkersAndChunks(int workers, long chunkBytes) throws Exception {
        Input input = generate(dir.resolve("sales.csv"), 6_000, 42);
        RecordingFactory factory = new RecordingFactory();
        EtlReport report = ParallelEtl.load(input.file(), db, workers, chunkBytes, factory);

        assertThat(aggregates()).as("sales: count, distinct ids, sum(id), sum(amount_cents), sum(quantity), "
                + "sum(total_cents), sum(length(name)): rows lost, loaded twice or transformed wrong")
                .containsExactly(expectedAggregates(input.rows()));
        List<Row> table = salesTable();
        for (int i = 0; i < input.rows().size(); i += 97) {
            assertThat(table.get(i)).as("row with id %d", input.rows().get(i).id()).isEqualTo(input.rows().get(i));
        }
        assertThat(new HashSet<>(table)).as("rows whose names were quoted, with commas or doubled quotes, or not ASCII")
                .containsAll(input.rows().stream().filter(r -> !r.name().matches("[A-Za-z' ]*")).toList());
        assertRejects(input.rejects());
        assertThat(report.rowsLoaded() + report.rejected()).as("rows + rejects = every line after the header")
                .isEqualTo(input.lines() - 1);
        assertThat(report).as("the report").isEqualTo(new EtlReport(input.rows().size(), input.rejects().size(),
                ParallelEtl.chunks(input.file(), chunkBytes).size()));
        assertThat(factory.made).as("threads made by the factory for %d workers", workers).hasSize(workers)
                .as("threads still alive after load returned: the pool must be closed").noneMatch(Threads::stillAlive);
    }

    /**
     * Each chunk's rows and rejects are committed in one transaction. Here the database refuses one chunk half-way:
     * the table, made by the test with a unique key, already holds a planted row that one of the chunk's lines
     * repeats. Then no row of that chunk may stay, and every other chunk is stored whole or not at all. (With DuckDB's
     * driver, rows that an appender flushes before any statement of the transaction has run commit on their own.)
     */
    @ParameterizedTest(name = "refused by {0}")
    @ValueSource(strings = {EtlSchema.SALES, EtlSchema.REJECTS})
    void aChunkThatTheDatabaseRefusesHalfWayLeavesNoRow(String refusing) throws Exception {
        Input input = generate(dir.resolve("sales.csv"), 2_000, 7);
        long chunkBytes = 8_192;
        List<Chunk> chunks = ParallelEtl.chunks(input.file(), chunkBytes);
        long[] lineStarts = lineStarts(Files.readAllBytes(input.file()));
        IntUnaryOperator chunkOfLine = line -> chunks.stream()
                .filter(c -> c.start() <= lineStarts[line - 1] && lineStarts[line - 1] < c.end())
                .mapToInt(Chunk::index).findFirst().orElseThrow();
        int refused = 2;
        assertThat(chunks).as("chunks of the test file").hasSizeGreaterThan(refused + 1);
        Map<Integer, Set<String>> expected = new TreeMap<>();
        input.rows().forEach(r -> expected.computeIfAbsent(chunkOfLine.applyAsInt(lineOf(r.id())), c -> new TreeSet<>())
                .add("sale " + r.id()));
        input.rejects().forEach(r -> expected.computeIfAbsent(chunkOfLine.applyAsInt((int) r.line()),
                c -> new TreeSet<>()).add("reject " + r.line()));
        try (Statement s = db.createStatement()) {
            if (refusing.equals(EtlSchema.SALES)) {
                Row victim = input.rows().stream().filter(r -> chunkOfLine.applyAsInt(lineOf(r.id())) == refused)
                        .findFirst().orElseThrow();
                s.execute("CREATE TABLE sales (id BIGINT, name VARCHAR, amount_cents BIGINT, quantity INTEGER,"
                        + " total_cents BIGINT, UNIQUE (id))");
                s.execute("INSERT INTO sales VALUES (" + victim.id() + ", 'planted', 0, 0, 0)");
            } else {
                Rejected victim = input.rejects().stream()
                        .filter(r -> chunkOfLine.applyAsInt((int) r.line()) == refused).findFirst().orElseThrow();
                s.execute("CREATE TABLE rejects (line BIGINT, raw VARCHAR, reason VARCHAR, UNIQUE (line))");
                s.execute("INSERT INTO rejects VALUES (" + victim.line() + ", 'planted', 'planted')");
            }
        }
        RecordingFactory factory = new RecordingFactory();
        assertThatThrownBy(() -> ParallelEtl.load(input.file(), db, 2, chunkBytes, factory))
                .as("loading, when chunk %d repeats the planted row's key in %s", refused, refusing)
                .isInstanceOf(SQLException.class);
        assertThat(factory.made).as("threads alive after load threw").noneMatch(Threads::stillAlive);

        Map<Integer, Set<String>> stored = new TreeMap<>();
        try (Statement s = db.createStatement();
                ResultSet sales = s.executeQuery("SELECT id FROM sales WHERE name <> 'planted'")) {
            while (sales.next()) {
                long id = sales.getLong(1);
                stored.computeIfAbsent(chunkOfLine.applyAsInt(lineOf(id)), c -> new TreeSet<>())
                        .add("sale " + id);
            }
        }
        try (Statement s = db.createStatement();
                ResultSet rejects = s.executeQuery("SELECT line FROM rejects WHERE raw <> 'planted'")) {
            while (rejects.next()) {
                long line = rejects.getLong(1);
                stored.computeIfAbsent(chunkOfLine.applyAsInt((int) line), c -> new TreeSet<>()).add("reject " + line);
            }
        }
        assertThat(stored.get(refused)).as("rows of the refused chunk %d that stayed (sales by id, rejects by line):"
                + " its rows and rejects must go in one transaction, rolled back whole", refused).isNull();
        stored.forEach((chunk, rows) -> assertThat(rows)
                .as("rows of chunk %d: a chunk is stored whole or not at all", chunk).isEqualTo(expected.get(chunk)));
    }

    /** The line of a generated good row with this id: ids count from 1,000,000 at line 2. */
    private static int lineOf(long id) {
        return (int) (id - 999_998);
    }

    /** Where each line starts: {@code [n - 1]} is line n's first byte. */
    private static long[] lineStarts(byte[] bytes) {
        List<Long> starts = new ArrayList<>(List.of(0L));
        for (int i = 0; i < bytes.length - 1; i++) {
            if (bytes[i] == '\n') {
                starts.add(i + 1L);
            }
        }
        return starts.stream().mapToLong(Long::longValue).toArray();
    }

    @Test
    void badLinesLandInTheRejectsTableWithTheirLineNumbers() throws Exception {
        Path file = dir.resolve("bad.csv");
        String text = SalesCsv.HEADER + "\n"       // 1
                + "1,Ann,10.50,2\n"                 // 2
                + "2,Ben,abc,2\n"                   // 3 amount
                + "3,\"Cy, Jr\",1,1\r\n"            // 4 CRLF, good
                + "4,Di\n"                          // 5 two fields
                + "\n"                              // 6 empty
                + "5,\"Eve \"\"E\"\"\",0.1,3\n"     // 7 good
                + "x6,Fay,1,1\n"                    // 8 id
                + "7,\"Gil,1,1\n"                   // 9 quote
                + "8,Hal,1.234,1\r\n"               // 10 three decimals, CRLF
                + "9,Ida,-2,4";                     // 11 good, no final line break
        Files.writeString(file, text);
        EtlReport report = ParallelEtl.load(file, db, 2, 1, new RecordingFactory());

        assertThat(salesTable()).as("the good lines").containsExactly(
                new Row(1, "Ann", 1050, 2, 2100), new Row(3, "Cy, Jr", 100, 1, 100),
                new Row(5, "Eve \"E\"", 10, 3, 30), new Row(9, "Ida", -200, 4, -800));
        assertRejects(List.of(new Rejected(3, "2,Ben,abc,2", "amount is not a number"),
                new Rejected(5, "4,Di", "expected 4 fields, found 2"), new Rejected(6, "", "expected 4 fields, found 1"),
                new Rejected(8, "x6,Fay,1,1", "id is not a number"), new Rejected(9, "7,\"Gil,1,1", "unterminated quote"),
                new Rejected(10, "8,Hal,1.234,1", "amount is not a number")));
        assertThat(report).as("the report for 4 good and 6 bad lines in 11 one-line chunks")
                .isEqualTo(new EtlReport(4, 6, 11));
    }

    @Test
    void anEmptyFileLoadsNothing() throws Exception {
        Path empty = Files.createFile(dir.resolve("empty.csv"));
        RecordingFactory factory = new RecordingFactory();
        assertThat(ParallelEtl.chunks(empty, 100)).as("chunks of an empty file").isEmpty();
        assertThat(ParallelEtl.load(empty, db, 2, 100, factory)).as("report for an empty file")
                .isEqualTo(new EtlReport(0, 0, 0));
        assertThat(aggregates()[0]).as("rows in sales (the table must exist, and be empty)").isZero();
        assertThat(rejectsTable()).as("rows in rejects (the table must exist, and be empty)").isEmpty();

        Path headerOnly = Files.writeString(dir.resolve("header.csv"), SalesCsv.HEADER + "\n");
        assertThat(ParallelEtl.load(headerOnly, db, 2, 100, factory)).as("report for a file with only its header")
                .isEqualTo(new EtlReport(0, 0, 1));
        assertThat(aggregates()[0]).as("rows in sales after a header-only file").isZero();
        assertThat(factory.made).as("threads alive after load returned").noneMatch(Threads::stillAlive);
    }

    @Test
    void aMissingFileIsAClearError() {
        Path missing = dir.resolve("no-such-file.csv");
        assertThatThrownBy(() -> ParallelEtl.load(missing, db, 2, 100, new RecordingFactory()))
                .as("loading a file that does not exist").isInstanceOf(NoSuchFileException.class)
                .hasMessageContaining("no-such-file.csv");
    }

    @Test
    void aFileWithoutItsHeaderIsRejected() throws IOException {
        Path file = Files.writeString(dir.resolve("noheader.csv"), "1,Ann,10.50,2\n2,Ben,1,1\n");
        assertThatThrownBy(() -> ParallelEtl.load(file, db, 2, 100, new RecordingFactory()))
                .as("a file whose first line is not the header").isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("header");
    }

    @Test
    void badArgumentsAreRejectedWithAMessage() throws IOException {
        Path file = Files.writeString(dir.resolve("ok.csv"), SalesCsv.HEADER + "\n1,Ann,10.50,2\n");
        assertThatThrownBy(() -> ParallelEtl.load(file, db, 0, 100, new RecordingFactory()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("workers");
        assertThatThrownBy(() -> ParallelEtl.load(file, db, 2, 0, new RecordingFactory()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("chunkBytes");
        assertThatThrownBy(() -> ParallelEtl.chunks(file, 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("targetBytes");
    }
}
