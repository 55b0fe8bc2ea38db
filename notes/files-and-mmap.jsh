// Files and memory mapping — run with: jshell notes/files-and-mmap.jsh
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

void check(boolean ok, String message) { if (!ok) throw new AssertionError(message); }

// A file in the 1BRC format, "station;temperature" per line, with multi-byte UTF-8 names.
Path writeSample(int lines) throws java.io.IOException {
    String[] stations = {"Hamburg", "São Paulo", "Zürich", "東京", "Αθήνα", "Montréal"};
    var sb = new StringBuilder();
    for (int i = 0; i < lines; i++) {
        int tenths = (i * 37) % 1999 - 999;                   // -99.9 .. 99.9, deterministic
        sb.append(stations[i % stations.length]).append(';')
          .append(tenths < 0 ? "-" : "").append(Math.abs(tenths) / 10).append('.').append(Math.abs(tenths) % 10).append('\n');
    }
    Path file = Files.createTempFile("stations", ".txt");
    return Files.writeString(file, sb, StandardCharsets.UTF_8);
}

// Split [0, size) into about n byte ranges that start and end on line boundaries: move every nominal
// cut forward to just after the next '\n'. The byte 0x0A never occurs inside a multi-byte UTF-8 character.
List<long[]> splitAtLines(MemorySegment file, int n) {
    long size = file.byteSize();
    var ranges = new ArrayList<long[]>();
    long start = 0;
    for (int i = 1; i <= n && start < size; i++) {
        long end = i == n ? size : Math.max(start, (long) i * size / n);
        while (end < size && end > 0 && file.get(ValueLayout.JAVA_BYTE, end - 1) != '\n') end++;
        if (end > start) ranges.add(new long[] {start, end});
        start = end;
    }
    return ranges;
}

// One worker's job: count the lines in its range and add up the temperatures, in tenths of a degree.
long[] countAndSum(MemorySegment file, long from, long to) {
    long lines = 0, sum = 0;
    long pos = from;
    while (pos < to) {
        while (file.get(ValueLayout.JAVA_BYTE, pos) != ';') pos++;        // skip the name, whatever its bytes
        pos++;
        boolean negative = file.get(ValueLayout.JAVA_BYTE, pos) == '-';
        if (negative) pos++;
        int value = 0;
        for (byte b; (b = file.get(ValueLayout.JAVA_BYTE, pos)) != '\n'; pos++)
            if (b != '.') value = value * 10 + (b - '0');
        pos++;                                                             // past '\n'
        lines++;
        sum += negative ? -value : value;
    }
    return new long[] {lines, sum};
}

void mapSplitAndCount() throws Exception {
    Path file = writeSample(20_000);
    try {
        // The reference answer, the plain sequential way.
        List<String> all = Files.readAllLines(file);
        long expectedSum = all.stream().mapToLong(l -> Math.round(Double.parseDouble(l.substring(l.indexOf(';') + 1)) * 10)).sum();

        try (var channel = FileChannel.open(file, StandardOpenOption.READ);
             var arena = Arena.ofShared()) {                           // shared: several threads read the mapping
            MemorySegment mapped = channel.map(FileChannel.MapMode.READ_ONLY, 0, channel.size(), arena);
            var ranges = splitAtLines(mapped, 4);
            for (var r : ranges)
                check(r[0] == 0 || mapped.get(ValueLayout.JAVA_BYTE, r[0] - 1) == '\n', "every range starts at a line start");

            // Each range decodes to whole lines; glued back together they are the file, byte for byte.
            var glued = new StringBuilder();
            for (var r : ranges) glued.append(new String(mapped.asSlice(r[0], r[1] - r[0]).toArray(ValueLayout.JAVA_BYTE), StandardCharsets.UTF_8));
            check(glued.toString().equals(Files.readString(file)), "no line and no UTF-8 character was cut in two");

            // One thread per range, all reading the same mapping: no copy, no lock.
            long[][] results = new long[ranges.size()][];
            var threads = new ArrayList<Thread>();
            long t0 = System.nanoTime();
            for (int i = 0; i < ranges.size(); i++) {
                int k = i;
                threads.add(Thread.ofPlatform().start(() -> results[k] = countAndSum(mapped, ranges.get(k)[0], ranges.get(k)[1])));
            }
            for (var t : threads) t.join();
            long elapsed = System.nanoTime() - t0;
            long lines = 0, sum = 0;
            for (var r : results) { lines += r[0]; sum += r[1]; }
            System.out.printf("%,d bytes mapped, split into %s%n", mapped.byteSize(),
                    ranges.stream().map(r -> r[0] + ".." + r[1]).toList());
            System.out.printf("%d threads counted %,d lines, sum %.1f degrees, in %.1f ms%n",
                    ranges.size(), lines, sum / 10.0, elapsed / 1e6);
            check(lines == all.size() && sum == expectedSum, "the parallel count and sum equal the sequential ones");

            // Positional reads on the channel see the same bytes as the mapping, and do not move a shared position.
            var first = ByteBuffer.allocate(16);
            channel.read(first, 0);
            check(first.flip().equals(mapped.asSlice(0, 16).asByteBuffer()), "read(buffer, position) and the mapping agree");
        }                                                              // closing the arena unmaps the file, now
        check(useAfterClose(file), "a segment cannot be used after its arena is closed");
    } finally {
        Files.delete(file);
    }
}

// The arena decides when the mapping goes away. Use after close() is refused, not a crash.
boolean useAfterClose(Path file) throws java.io.IOException {
    MemorySegment mapped;
    try (var channel = FileChannel.open(file, StandardOpenOption.READ); var arena = Arena.ofConfined()) {
        mapped = channel.map(FileChannel.MapMode.READ_ONLY, 0, channel.size(), arena);
        check(mapped.get(ValueLayout.JAVA_BYTE, 0) == 'H', "the first line starts with Hamburg");
    }
    try {
        mapped.get(ValueLayout.JAVA_BYTE, 0);
        return false;
    } catch (IllegalStateException alreadyClosed) {
        return true;
    }
}

mapSplitAndCount();
/exit
