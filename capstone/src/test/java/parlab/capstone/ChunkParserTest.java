package parlab.capstone;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Milestone 2: {@link ChunkParser} aggregates good lines exactly and turns every kind of bad line into a reject. */
class ChunkParserTest {
    /** One line of a hand-made input: its bytes, and the reason it must be rejected with (null for a good line). */
    record Line(byte[] bytes, String reason) {
        static Line good(String text) {
            return new Line(text.getBytes(StandardCharsets.UTF_8), null);
        }

        static Line bad(String text, String reason) {
            return new Line(text.getBytes(StandardCharsets.UTF_8), reason);
        }
    }

    static final List<Line> LINES = List.of(
            Line.good("Hamburg;12.0"),
            Line.good("Bulawayo;8.9"),
            Line.bad("", Reasons.EMPTY_LINE),
            Line.bad("no separator here", Reasons.NO_SEPARATOR),
            Line.bad(";12.0", Reasons.EMPTY_NAME),
            Line.bad("x".repeat(101) + ";1.0", Reasons.NAME_TOO_LONG),
            Line.good("y".repeat(100) + ";1.0"),
            Line.bad("Hamburg;100.0", Reasons.OUT_OF_RANGE),
            Line.bad("Hamburg;-100.0", Reasons.OUT_OF_RANGE),
            Line.bad("Hamburg;12.34", Reasons.NOT_ONE_FRACTIONAL_DIGIT),
            Line.bad("Hamburg;12", Reasons.NOT_ONE_FRACTIONAL_DIGIT),
            Line.bad("Hamburg;abc", Reasons.NOT_A_NUMBER),
            Line.bad("Hamburg;", Reasons.MISSING_TEMPERATURE),
            new Line(new byte[] {'B', 'a', 'd', (byte) 0xFF, (byte) 0xFE, ';', '1', '.', '0'}, Reasons.INVALID_UTF8),
            new Line(new byte[] {'C', (byte) 0xC3, ';', '1', '.', '0'}, Reasons.INVALID_UTF8),
            Line.good("Hamburg;-99.9"),
            Line.good("Zürich;99.9"),
            Line.bad("Hamburg;1.0;2.0", Reasons.NOT_A_NUMBER),
            Line.bad("Hamburg; 1.0", Reasons.NOT_A_NUMBER),
            Line.bad("Hamburg;1.0\r", Reasons.NOT_A_NUMBER),
            Line.bad("Hamburg;1-0", Reasons.NOT_A_NUMBER),
            Line.good("Hamburg;-0.5"),
            Line.good("Zürich;5.0"),
            Line.good("Bulawayo;-8.9"),
            // no ';' before the line break, but one soon after it: in the first, second and a later word
            Line.bad("x", Reasons.NO_SEPARATOR),
            Line.good("Bulawayo;1.0"),
            Line.bad("ten bytes!", Reasons.NO_SEPARATOR),
            Line.good("ab;1.0"),
            Line.bad("eleven byte", Reasons.NO_SEPARATOR),
            Line.good("Hamburg;3.0"),
            Line.bad("eighteen bytes!!!!", Reasons.NO_SEPARATOR),
            Line.good("ab;1.0"),
            Line.bad("seventeen bytes!!", Reasons.NO_SEPARATOR),
            Line.good("Hamburg;3.0"));

    /** The input as bytes, with or without a final line break. */
    static byte[] text(List<Line> lines, boolean finalLineBreak) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int i = 0; i < lines.size(); i++) {
            out.writeBytes(lines.get(i).bytes());
            if (i < lines.size() - 1 || finalLineBreak) {
                out.write('\n');
            }
        }
        return out.toByteArray();
    }

    /** What parsing the lines must give, worked out here line by line. */
    static Map<String, StationStats> expectedStations(List<Line> lines) {
        Map<String, StationStats> expected = new HashMap<>();
        for (Line line : lines) {
            if (line.reason() == null) {
                String text = new String(line.bytes(), StandardCharsets.UTF_8);
                int semicolon = text.indexOf(';');
                expected.computeIfAbsent(text.substring(0, semicolon), n -> new StationStats())
                        .add(Integer.parseInt(text.substring(semicolon + 1).replace(".", "")));
            }
        }
        return expected;
    }

    @Test
    void everyKindOfBadLineIsRejectedWithItsOffsetAndTheRestIsExact() {
        assertParsedByTheRules(LINES);
    }

    @Test
    void linesFarFromTheEndOfTheFileFollowTheSameRules() {
        // a fast parser may read words past a line while plenty of file follows: the same lines, many times over
        List<Line> many = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            many.addAll(LINES);
            many.add(Line.good("Hamburg;" + (i % 2 == 0 ? "-" : "") + (i * 37 % 1000) / 10 + "." + i % 10));
            many.add(Line.good("A long station name of more than sixteen bytes, number " + i % 7 + ";" + i % 10
                    + ".5"));
        }
        assertParsedByTheRules(many);
    }

    @Test
    void randomLinesGoodAndBadFollowTheRules() {
        java.util.Random random = new java.util.Random(42);
        String[] pieces = {"a", "Zü", "日本", "x y", "-", ".", "1", "9", ";", "0", "\r", " ", "\uD83D\uDE00"};
        List<Line> lines = new ArrayList<>();
        for (int i = 0; i < 20_000; i++) {
            StringBuilder name = new StringBuilder();
            int nameLength = random.nextInt(4) == 0 ? random.nextInt(90) : 1 + random.nextInt(20);
            while (name.length() < nameLength) {
                name.append(pieces[random.nextInt(random.nextInt(10) == 0 ? pieces.length : 4)]);
            }
            StringBuilder temperature = new StringBuilder();
            if (random.nextInt(8) == 0) {
                for (int k = random.nextInt(7); k > 0; k--) {
                    temperature.append(pieces[4 + random.nextInt(pieces.length - 4)]);
                }
            } else {
                temperature.append(random.nextBoolean() ? "-" : "").append(random.nextInt(random.nextInt(10) == 0
                        ? 1000 : 100)).append('.').append(random.nextInt(10));
            }
            String text = name + ";" + temperature;
            lines.add(isGood(text) ? Line.good(text) : Line.bad(text, ""));
        }
        assertParsedByTheRules(lines);
    }

    /** The rules of a good line, written independently of the parser: a regular expression and a length. */
    private static boolean isGood(String line) {
        int semicolon = line.indexOf(';');
        return semicolon > 0 && line.substring(0, semicolon).getBytes(StandardCharsets.UTF_8).length
                <= ChunkParser.MAX_NAME_BYTES && line.substring(semicolon + 1).matches("-?\\d{1,2}\\.\\d");
    }

    @Test
    void aChunkOfBadLinesKeepsTheFirstRejectsAndCountsThemAll() {
        int bad = ChunkParser.MAX_REJECTS_KEPT + 5_000;
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < bad; i++) {
            text.append(i % 3 == 0 ? "no separator\n" : i % 3 == 1 ? "\n" : "x;12.34\n");
        }
        text.append("Hamburg;1.5\n");
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment file = Fixtures.bytes(text.toString(), arena);
            ChunkResult result = ChunkParser.parse(file, new Chunk(0, 0, file.byteSize()));
            assertThat(result.lines()).as("every line counts").isEqualTo(bad + 1);
            assertThat(result.rows()).as("the one good line").isEqualTo(1);
            assertThat(result.rejected()).as("every bad line is counted").isEqualTo(bad);
            assertThat(result.rejects()).as("only the first rejects are kept, so memory stays bounded")
                    .hasSize(ChunkParser.MAX_REJECTS_KEPT);
            assertThat(result.rejects().stream().mapToLong(Reject::lineInChunk).toArray())
                    .as("the kept rejects are the first lines, in order")
                    .isEqualTo(java.util.stream.LongStream.range(0, ChunkParser.MAX_REJECTS_KEPT).toArray());
            assertThat(result.stations()).as("the good line still counts")
                    .isEqualTo(Map.of("Hamburg", new StationStats(15, 15, 15, 1)));
        }
    }

    private static void assertParsedByTheRules(List<Line> lines) {
        for (boolean finalLineBreak : new boolean[] {true, false}) {
            byte[] bytes = text(lines, finalLineBreak);
            try (Arena arena = Arena.ofConfined()) {
                MemorySegment file = arena.allocate(bytes.length);
                MemorySegment.copy(MemorySegment.ofArray(bytes), 0, file, 0, bytes.length);
                ChunkResult result = ChunkParser.parse(file, new Chunk(0, 0, bytes.length));
                String with = finalLineBreak ? " (file ending with a line break)" : " (no final line break)";
                assertThat(result.lines()).as("every line counts, good or bad" + with).isEqualTo(lines.size());
                long offset = 0;
                int good = 0;
                List<Reject> rejects = new ArrayList<>(result.rejects());
                for (int i = 0; i < lines.size(); i++) {
                    Line line = lines.get(i);
                    String shown = new String(line.bytes(), StandardCharsets.UTF_8);
                    if (line.reason() == null) {
                        good++;
                    } else {
                        Reject reject = rejects.stream().filter(r -> r.byteOffset() >= 0).findFirst().orElse(null);
                        assertThat(reject).as("line %d '%s' is rejected%s", i + 1, shown, with).isNotNull();
                        assertThat(reject.byteOffset()).as("byte offset of the reject of line %d '%s'%s", i + 1,
                                shown, with).isEqualTo(offset);
                        assertThat(reject.lineInChunk()).as("line index in the chunk of '%s'", shown).isEqualTo(i);
                        assertThat(reject.reason()).as("reason for line %d '%s'", i + 1, shown)
                                .startsWith(line.reason());
                        assertThat(reject.raw()).as("raw text of line %d (without the line break)", i + 1)
                                .isEqualTo(shown);
                        rejects.removeFirst();
                    }
                    offset += line.bytes().length + 1;
                }
                assertThat(rejects).as("no other reject than the bad lines, in line order" + with).isEmpty();
                assertThat(result.rows()).as("good lines" + with).isEqualTo(good);
                assertThat(result.stations()).as("per-station stats of the good lines only" + with)
                        .isEqualTo(expectedStations(lines));
            }
        }
    }

    @Test
    void chunksOfOneFileAddUpToTheWholeFile() throws Exception {
        byte[] bytes = text(LINES, true);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment file = arena.allocate(bytes.length);
            MemorySegment.copy(MemorySegment.ofArray(bytes), 0, file, 0, bytes.length);
            ChunkResult whole = ChunkParser.parse(file, new Chunk(0, 0, bytes.length));
            // cut by hand after lines 5 and 14, so each chunk starts at a line start
            long cut1 = offsetOfLine(5);
            long cut2 = offsetOfLine(14);
            List<Chunk> chunks = List.of(new Chunk(0, 0, cut1), new Chunk(1, cut1, cut2),
                    new Chunk(2, cut2, bytes.length));
            Map<String, StationStats> merged = new HashMap<>();
            long lines = 0;
            List<Long> offsets = new ArrayList<>();
            List<Long> lineNumbers = new ArrayList<>();
            for (Chunk chunk : chunks) {
                ChunkResult part = ChunkParser.parse(file, chunk);
                assertThat(part.chunk()).as("the result names its chunk").isEqualTo(chunk);
                for (Reject r : part.rejects()) {
                    offsets.add(r.byteOffset());
                    lineNumbers.add(lines + r.lineInChunk());
                }
                lines += part.lines();
                part.stations().forEach((k, v) -> merged.computeIfAbsent(k, x -> new StationStats()).merge(v));
            }
            assertThat(lines).as("lines of the chunks add up").isEqualTo(whole.lines());
            assertThat(merged).as("partials of the chunks merge to the whole").isEqualTo(whole.stations());
            assertThat(offsets).as("byte offsets of rejects are offsets in the FILE, not in the chunk")
                    .isEqualTo(whole.rejects().stream().map(Reject::byteOffset).toList());
            assertThat(lineNumbers).as("lineInChunk counts from the chunk's first line")
                    .isEqualTo(whole.rejects().stream().map(Reject::lineInChunk).toList());
        }
    }

    @Test
    void aChunkHoldsOnlyItsOwnStationsWhateverTheThreadParsedBefore() {
        // a parser may keep state from one chunk to the next on a thread (a table of names, say): nothing of an
        // earlier chunk, of this file or another, may show in a later one
        assertThat(parse("Hamburg;-99.9\nBulawayo;99.9\nZürich;0.0\n").stations()).hasSize(3);
        assertThat(parse("Zürich;3.0\nHamburg;4.0\nHamburg;5.0\n").stations()).as("the second file's stations")
                .isEqualTo(Map.of("Zürich", new StationStats(30, 30, 30, 1),
                        "Hamburg", new StationStats(40, 50, 90, 2)));
    }

    private static ChunkResult parse(String text) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment file = Fixtures.bytes(text, arena);
            return ChunkParser.parse(file, new Chunk(0, 0, file.byteSize()));
        }
    }

    private static long offsetOfLine(int index) {
        long offset = 0;
        for (int i = 0; i < index; i++) {
            offset += LINES.get(i).bytes().length + 1;
        }
        return offset;
    }
}
