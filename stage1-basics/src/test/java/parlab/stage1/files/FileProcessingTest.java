package parlab.stage1.files;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadFactory;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import parlab.stage1.files.FileProcessing.Read;
import parlab.testing.Datasets;
import parlab.testing.Threads;

class FileProcessingTest {
    private static final int[] WORKER_COUNTS = {1, 2, 3, 4, 5, 6, 7, 8};

    @TempDir
    static Path shared;
    private static Path folder;
    private static Path measurements;
    private static long measurementLines;

    @TempDir
    Path temp;

    /** A factory that remembers every thread it made. */
    static final class RecordingFactory implements ThreadFactory {
        final List<Thread> made = new CopyOnWriteArrayList<>();

        @Override
        public Thread newThread(Runnable task) {
            Thread thread = new Thread(task, "file-pool-worker-" + made.size());
            made.add(thread);
            return thread;
        }

        void assertAllEnded(String what) {
            await(what).atMost(Duration.ofSeconds(2)).untilAsserted(() -> assertThat(made)
                    .as("threads of %s still alive after it returned: close the pool", what)
                    .noneMatch(Threads::stillAlive));
        }
    }

    @BeforeAll
    static void writeInputs() throws IOException {
        folder = Files.createDirectory(shared.resolve("texts"));
        Random random = new Random(5);
        List<String> vocabulary = List.of("the", "The", "THE", "queue", "thread", "Thread", "café", "Café", "naïve",
                "straße", "東京", "привет", "Ωmega", "x1", "42", "don't", "re-use", "e-mail", "co-op", "pool");
        List<String> separators = List.of(" ", "  ", "\n", ", ", ". ", "\t", "!\n", " -- ", "; ", "\r\n", " (", ") ");
        for (int f = 0; f < 12; f++) {
            StringBuilder text = new StringBuilder();
            int words = f == 3 ? 0 : 200 + random.nextInt(2_000); // file 3 is empty
            for (int w = 0; w < words; w++) {
                text.append(vocabulary.get(random.nextInt(vocabulary.size())))
                        .append(separators.get(random.nextInt(separators.size())));
            }
            Files.writeString(folder.resolve("text-%02d.txt".formatted(f)), text);
        }
        Files.createDirectory(folder.resolve("a-subfolder")); // not a file: skipped by filesIn

        measurements = shared.resolve("measurements.txt");
        measurementLines = 20_000;
        Measurements.write(measurements, 42, measurementLines, 700);
    }

    // ---------------------------------------------------------------------------------------------------------
    // Part A: word count

    @ParameterizedTest(name = "{0} workers")
    @ValueSource(ints = {1, 2, 3, 4, 8, 16})
    void wordCountEqualsTheSequentialCount(int workers) throws IOException {
        Map<String, Long> expected = FileProcessing.sequentialWordCount(folder);
        assertThat(FileProcessing.wordCount(folder, workers, new RecordingFactory()))
                .as("word counts of 12 files with %d workers", workers)
                .isEqualTo(expected);
    }

    @Test
    void wordCountUsesUpToWorkersThreadsFromTheFactory() throws IOException {
        RecordingFactory factory = new RecordingFactory();
        FileProcessing.wordCount(folder, 3, factory);
        assertThat(factory.made).as("threads made by the factory for 12 files and 3 workers").hasSizeBetween(2, 3);
        factory.assertAllEnded("wordCount");
    }

    @Test
    void wordCountNeverStartsMoreThreadsThanFiles() throws IOException {
        Path two = Files.createDirectory(temp.resolve("two"));
        Files.writeString(two.resolve("a.txt"), "one two two");
        Files.writeString(two.resolve("b.txt"), "Two three");
        RecordingFactory factory = new RecordingFactory();
        assertThat(FileProcessing.wordCount(two, 8, factory)).as("word counts of 2 files with 8 workers")
                .isEqualTo(Map.of("one", 1L, "two", 3L, "three", 1L));
        assertThat(factory.made).as("threads made for 2 files and 8 workers").hasSizeBetween(1, 2);
        factory.assertAllEnded("wordCount");
    }

    @Test
    void anEmptyFolderHasNoWords() throws IOException {
        Path empty = Files.createDirectory(temp.resolve("empty"));
        assertThat(FileProcessing.wordCount(empty, 4, new RecordingFactory())).as("words of an empty folder")
                .isEmpty();
    }

    @Test
    void aFileThatCannotBeReadFailsTheCountWithItsOwnException() throws IOException {
        Path bad = Files.createDirectory(temp.resolve("bad"));
        for (int f = 0; f < 6; f++) {
            Files.writeString(bad.resolve("ok-" + f + ".txt"), "some words here ".repeat(500));
        }
        Files.write(bad.resolve("not-utf8.txt"), new byte[] {'a', ' ', (byte) 0xC3, (byte) 0x28, ' ', 'b'});
        RecordingFactory factory = new RecordingFactory();
        assertThatThrownBy(() -> FileProcessing.wordCount(bad, 3, factory))
                .as("the IOException of the file that is not UTF-8, itself (not wrapped in an ExecutionException "
                        + "or an UncheckedIOException)")
                .isInstanceOf(CharacterCodingException.class);
        factory.assertAllEnded("a failed wordCount");
    }

    @Test
    void wordCountRejectsBadArguments() {
        assertThatThrownBy(() -> FileProcessing.wordCount(folder, 0, new RecordingFactory()))
                .as("0 workers").isInstanceOf(IllegalArgumentException.class).hasMessageContaining("workers");
        assertThatThrownBy(() -> FileProcessing.wordCount(temp.resolve("nowhere"), 2, new RecordingFactory()))
                .as("a folder that does not exist").isInstanceOf(NoSuchFileException.class)
                .hasMessageContaining("nowhere");
    }

    // ---------------------------------------------------------------------------------------------------------
    // Part B: splitting one file into ranges of whole lines

    @Test
    void chunksCoverTheFileInWholeLines() throws IOException {
        byte[] bytes = Files.readAllBytes(measurements);
        try (FileChannel channel = FileChannel.open(measurements)) {
            for (int workers : WORKER_COUNTS) {
                assertWholeLines(bytes, FileProcessing.chunks(channel, workers), workers, "measurements.txt");
            }
        }
    }

    /**
     * Files whose blind cuts ({@code size * i / workers}) fall everywhere: on a {@code \n}, right after one, inside
     * a name, inside a multi-byte character, inside a temperature. A first line of k ASCII bytes shifts all the
     * rest by one byte per k.
     */
    static List<Path> shiftedFiles(Path dir, int step) throws IOException {
        List<String> names = Measurements.REAL;
        StringBuilder body = new StringBuilder();
        for (int i = 0; i < 120; i++) {
            body.append(Measurements.line(names.get(i * 7 % names.size()), (i * 37 % 1999) - 999));
        }
        List<Path> files = new ArrayList<>();
        for (int k = 1; k <= 40; k += step) {
            Path file = dir.resolve("shifted-" + k + ".txt");
            Files.writeString(file, Measurements.line("x".repeat(k), k) + body);
            files.add(file);
        }
        return files;
    }

    enum Cut { ON_A_NEWLINE, RIGHT_AFTER_A_NEWLINE, INSIDE_A_CHARACTER }

    /** Where the blind cuts of {@code bytes} for {@code workers} fall. */
    static void classifyCuts(byte[] bytes, int workers, Set<Cut> seen) {
        for (int i = 1; i < workers; i++) {
            int blind = (int) ((long) bytes.length * i / workers);
            if (bytes[blind] == '\n') {
                seen.add(Cut.ON_A_NEWLINE);
            } else if (bytes[blind - 1] == '\n') {
                seen.add(Cut.RIGHT_AFTER_A_NEWLINE);
            } else if ((bytes[blind] & 0xC0) == 0x80) {
                seen.add(Cut.INSIDE_A_CHARACTER);
            }
        }
    }

    @Test
    void chunksNeverCutALineNorACharacter() throws IOException {
        Set<Cut> seen = EnumSet.noneOf(Cut.class);
        for (Path file : shiftedFiles(temp, 1)) {
            byte[] bytes = Files.readAllBytes(file);
            for (int workers = 2; workers <= 8; workers++) {
                classifyCuts(bytes, workers, seen);
                try (FileChannel channel = FileChannel.open(file)) {
                    assertWholeLines(bytes, FileProcessing.chunks(channel, workers), workers,
                            file.getFileName().toString());
                }
            }
        }
        assertThat(seen).as("kinds of blind cuts these files exercise (a check of the test itself)")
                .containsExactlyInAnyOrder(Cut.values());
    }

    @Test
    void resultsDoNotDependOnWhereTheCutsFall() throws IOException {
        Set<Cut> seen = EnumSet.noneOf(Cut.class);
        for (Path file : shiftedFiles(temp, 3)) {
            byte[] bytes = Files.readAllBytes(file);
            String expected = FileProcessing.sequentialStations(file).format();
            for (int workers = 2; workers <= 8; workers++) {
                classifyCuts(bytes, workers, seen);
                for (Read read : Read.values()) {
                    assertThat(FileProcessing.stations(file, workers, read, new RecordingFactory()).format())
                            .as("%s with %d workers, %s", file.getFileName(), workers, read)
                            .isEqualTo(expected);
                }
            }
        }
        assertThat(seen).as("kinds of blind cuts these files exercise (a check of the test itself)")
                .containsExactlyInAnyOrder(Cut.values());
    }

    @Test
    void moreWorkersThanLinesIsFine() throws IOException {
        Path file = temp.resolve("three-lines.txt");
        Files.writeString(file, "Ségou;25.7\nZürich;-3.0\nSégou;-0.3\n");
        try (FileChannel channel = FileChannel.open(file)) {
            assertWholeLines(Files.readAllBytes(file), FileProcessing.chunks(channel, 8), 8, "three-lines.txt");
            assertThat(FileProcessing.chunks(channel, 8)).as("chunks of a 3-line file for 8 workers")
                    .hasSizeBetween(1, 3);
        }
        for (Read read : Read.values()) {
            assertThat(FileProcessing.stations(file, 8, read, new RecordingFactory()).format())
                    .as("3 lines, 8 workers, %s", read)
                    .isEqualTo("{Ségou=-0.3/12.7/25.7, Zürich=-3.0/-3.0/-3.0}");
        }
    }

    // ---------------------------------------------------------------------------------------------------------
    // Part B: reading a range

    @Test
    void readBufferedCarriesLinesAcrossRefills() throws IOException {
        String expected = FileProcessing.sequentialStations(measurements).format();
        try (FileChannel channel = FileChannel.open(measurements)) {
            for (int bufferBytes : new int[] {StationTable.MAX_LINE_BYTES, StationTable.MAX_LINE_BYTES + 1, 128, 1000,
                    65_536}) {
                StationTable table = FileProcessing.readBuffered(channel, new Chunk(0, channel.size()),
                        bufferBytes);
                assertThat(table.measurements()).as("lines read through a %d-byte buffer (%d in the file): a line "
                        + "split by a refill must be parsed once, whole", bufferBytes, measurementLines)
                        .isEqualTo(measurementLines);
                assertThat(table.format()).as("the whole file through a %d-byte buffer", bufferBytes)
                        .isEqualTo(expected);
            }
        }
    }

    @ParameterizedTest
    @EnumSource(Read.class)
    void eachReadReadsExactlyItsOwnRange(Read read) throws IOException {
        byte[] bytes = Files.readAllBytes(measurements);
        List<Long> cuts = new ArrayList<>(List.of(0L));
        for (int i = 1; i < 5; i++) { // cut by the test itself, so that only the reading is checked here
            int at = bytes.length * i / 5;
            while (bytes[at - 1] != '\n') {
                at++;
            }
            cuts.add((long) at);
        }
        cuts.add((long) bytes.length);
        try (FileChannel channel = FileChannel.open(measurements)) {
            for (int c = 0; c + 1 < cuts.size(); c++) {
                Chunk chunk = new Chunk(cuts.get(c), cuts.get(c + 1));
                Path slice = temp.resolve("slice-" + c + ".txt");
                Files.write(slice, java.util.Arrays.copyOfRange(bytes, (int) chunk.start(), (int) chunk.end()));
                StationTable expected = FileProcessing.sequentialStations(slice);
                StationTable got = read(read, channel, chunk, 1000);
                assertThat(got.measurements()).as("lines read from %s with %s: exactly the lines of that range",
                        chunk, read).isEqualTo(expected.measurements());
                assertThat(got.format()).as("the stations of %s, %s", chunk, read).isEqualTo(expected.format());
            }
        }
    }

    @Test
    void aLastLineWithoutNewlineCounts() throws IOException {
        Path file = temp.resolve("no-final-newline.txt");
        Files.writeString(file, "a;1.0\nb;2.0\nc;3.0\nd;-4.5");
        String expected = "{a=1.0/1.0/1.0, b=2.0/2.0/2.0, c=3.0/3.0/3.0, d=-4.5/-4.5/-4.5}";
        try (FileChannel channel = FileChannel.open(file)) {
            for (Read read : Read.values()) {
                assertThat(read(read, channel, new Chunk(0, channel.size()), StationTable.MAX_LINE_BYTES).format())
                        .as("one chunk, %s", read).isEqualTo(expected);
            }
        }
        for (int workers = 1; workers <= 4; workers++) {
            for (Read read : Read.values()) {
                assertThat(FileProcessing.stations(file, workers, read, new RecordingFactory()).format())
                        .as("a file whose last line has no newline, %d workers, %s", workers, read)
                        .isEqualTo(expected);
            }
        }
    }

    private static StationTable read(Read read, FileChannel channel, Chunk chunk, int bufferBytes)
            throws IOException {
        return switch (read) {
            case BUFFERED -> FileProcessing.readBuffered(channel, chunk, bufferBytes);
            case MAPPED -> FileProcessing.readMapped(channel, chunk);
        };
    }

    // ---------------------------------------------------------------------------------------------------------
    // Part B: the whole job

    @ParameterizedTest
    @EnumSource(Read.class)
    void stationsEqualTheSequentialResult(Read read) throws IOException {
        String expected = FileProcessing.sequentialStations(measurements).format();
        for (int workers : WORKER_COUNTS) {
            StationTable got = FileProcessing.stations(measurements, workers, read, new RecordingFactory());
            assertThat(got.measurements()).as("lines counted with %d workers, %s (%d in the file): none lost at a "
                    + "chunk edge, none counted twice", workers, read, measurementLines).isEqualTo(measurementLines);
            assertThat(got.format()).as("stations with %d workers, %s", workers, read).isEqualTo(expected);
        }
    }

    static Stream<Path> samples() {
        return Datasets.oneBrcSamples().stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("samples")
    void everyOneBrcSampleGivesItsExpectedOutput(Path sample) throws IOException {
        String expected = Datasets.expectedOutput(sample);
        for (Read read : Read.values()) {
            for (int workers : new int[] {1, 2, 3, 8}) {
                assertThat(FileProcessing.stations(sample, workers, read, new RecordingFactory()).format())
                        .as("%s with %d workers, %s (expected: the .out file beside it)", sample.getFileName(),
                                workers, read)
                        .isEqualTo(expected);
            }
        }
    }

    @Test
    void stationsUsesUpToWorkersThreadsFromTheFactory() throws IOException {
        RecordingFactory factory = new RecordingFactory();
        FileProcessing.stations(measurements, 4, Read.MAPPED, factory);
        assertThat(factory.made).as("threads made by the factory for 4 workers").hasSizeBetween(2, 4);
        factory.assertAllEnded("stations");
    }

    @ParameterizedTest
    @EnumSource(Read.class)
    void anEmptyFileHasNoStations(Read read) throws IOException {
        Path empty = Files.createFile(temp.resolve("empty.txt"));
        try (FileChannel channel = FileChannel.open(empty)) {
            assertThat(FileProcessing.chunks(channel, 4)).as("chunks of an empty file").isEmpty();
        }
        assertThat(FileProcessing.stations(empty, 4, read, new RecordingFactory()).format())
                .as("stations of an empty file").isEqualTo("{}");
    }

    @Test
    void aMissingFileIsReportedByName() {
        Path missing = temp.resolve("no-such-measurements.txt");
        assertThatThrownBy(() -> FileProcessing.stations(missing, 2, Read.BUFFERED, new RecordingFactory()))
                .as("stations of a file that does not exist")
                .isInstanceOf(NoSuchFileException.class)
                .hasMessageContaining("no-such-measurements.txt");
    }

    @Test
    void stationsRejectsBadWorkerCounts() throws IOException {
        assertThatThrownBy(() -> FileProcessing.stations(measurements, 0, Read.MAPPED, new RecordingFactory()))
                .as("stations with 0 workers").isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("workers");
        try (FileChannel channel = FileChannel.open(measurements)) {
            assertThatThrownBy(() -> FileProcessing.chunks(channel, -1))
                    .as("chunks for -1 workers").isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("workers");
        }
    }

    // ---------------------------------------------------------------------------------------------------------

    /** Checks that {@code chunks} cut {@code bytes} into contiguous, non-empty ranges of whole lines. */
    private static void assertWholeLines(byte[] bytes, List<Chunk> chunks, int workers, String file) {
        String where = file + " cut for " + workers + " workers into " + chunks;
        assertThat(chunks).as("number of chunks of %s (at most one per worker)", where)
                .hasSizeLessThanOrEqualTo(workers);
        if (bytes.length == 0) {
            assertThat(chunks).as("chunks of an empty file").isEmpty();
            return;
        }
        assertThat(chunks).as("chunks of a non-empty file").isNotEmpty();
        assertThat(chunks.getFirst().start()).as("start of the first chunk of %s", where).isZero();
        assertThat(chunks.getLast().end()).as("end of the last chunk of %s (the file size)", where)
                .isEqualTo(bytes.length);
        for (int c = 0; c < chunks.size(); c++) {
            Chunk chunk = chunks.get(c);
            assertThat(chunk.length()).as("length of chunk %d of %s (no empty chunk)", c, where).isPositive();
            if (c > 0) {
                assertThat(chunk.start()).as("start of chunk %d of %s: where chunk %d ended (no gap, no overlap)",
                        c, where, c - 1).isEqualTo(chunks.get(c - 1).end());
                int start = (int) chunk.start();
                assertThat(bytes[start - 1]).as("the byte before chunk %d of %s, which starts at byte %d in the "
                        + "middle of the line \"%s\": a chunk must start right after a '\\n'", c, where, start,
                        lineAround(bytes, start)).isEqualTo((byte) '\n');
            }
        }
    }

    private static String lineAround(byte[] bytes, int at) {
        int from = at;
        while (from > 0 && bytes[from - 1] != '\n') {
            from--;
        }
        int to = Math.min(at, bytes.length);
        while (to < bytes.length && bytes[to] != '\n') {
            to++;
        }
        return new String(bytes, from, to - from, StandardCharsets.UTF_8);
    }
}
