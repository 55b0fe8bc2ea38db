package parlab.capstone;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Parses one chunk of a mapped 1BRC file into its partial aggregate, on whatever thread calls it: it reads only its
 * chunk's bytes and writes only objects it made, so chunks parse in parallel with nothing shared.
 *
 * <p>The hot loop makes no object per line: it scans bytes, hashes the name as it goes, finds the station in an
 * open-addressing table keyed by the name's bytes (no {@code String} until the end of the chunk), and parses the
 * temperature as an integer number of tenths. A line is good if it is {@code <name>;<temperature>}: a name of 1 to
 * 100 bytes of valid UTF-8 without {@code ';'}, a temperature {@code -?\d{1,2}\.\d} (so within [-99.9, 99.9] with
 * exactly one fractional digit), a {@code '\n'} (or the end of the file) after it. Anything else becomes a
 * {@link Reject} with the line's byte offset and its index in the chunk, and the parse goes on.
 *
 * <p>UTF-8 is checked once per distinct name, when it first enters the table: a later line whose bytes equal an
 * entry's bytes is valid by equality. Other ways: a {@code HashMap<String, ...>} per line is simpler and about 3x
 * slower (a {@code String} and a decode per line); SWAR (8 bytes at a time) finds {@code ';'} faster still.
 */
public final class ChunkParser {
    /** The longest station name, in UTF-8 bytes (the challenge's rule). */
    public static final int MAX_NAME_BYTES = 100;
    private static final int RAW_LIMIT = 300;

    private ChunkParser() {
    }

    public static ChunkResult parse(MemorySegment file, Chunk chunk) {
        Table table = new Table();
        List<Reject> rejects = new ArrayList<>();
        long end = chunk.end();
        long size = file.byteSize();
        long pos = chunk.start();
        long lines = 0;
        long rows = 0;
        while (pos < end) {
            long lineStart = pos;
            // the name: up to ';' or the end of the line, 8 bytes at a time while 8 bytes remain in the file
            long hash = 0;
            byte b = 0;
            boolean found = false;
            while (pos + 8 <= size) {
                long word = file.get(WORD, pos);
                long match = zeroBytes(word ^ SEMICOLONS) | zeroBytes(word ^ NEWLINES);
                if (match != 0) {
                    int k = Long.numberOfTrailingZeros(match) >>> 3;
                    if (k > 0) {
                        hash = mixWord(hash, word & (-1L >>> (64 - 8 * k)));
                    }
                    pos += k;
                    b = file.get(ValueLayout.JAVA_BYTE, pos);
                    found = true;
                    break;
                }
                hash = mixWord(hash, word);
                pos += 8;
            }
            if (!found) {
                // the last few bytes of the file: the same hash, the word built byte by byte
                long word = 0;
                int k = 0;
                while (pos < end && (b = file.get(ValueLayout.JAVA_BYTE, pos)) != ';' && b != '\n') {
                    word |= (b & 0xFFL) << (8 * k);
                    if (++k == 8) {
                        hash = mixWord(hash, word);
                        word = 0;
                        k = 0;
                    }
                    pos++;
                }
                if (k > 0) {
                    hash = mixWord(hash, word);
                }
            }
            if (pos > end) {
                pos = end; // a line that runs past the chunk can only be the file's last, without a line break
            }
            long semicolon = pos;
            long lineEnd = semicolon;
            if (pos < end && b == ';') {
                lineEnd = pos + 1;
                while (lineEnd < end && file.get(ValueLayout.JAVA_BYTE, lineEnd) != '\n') {
                    lineEnd++;
                }
            }
            long next = lineEnd + 1; // past the '\n' (or past the end of the chunk at the file's end)
            long lineIndex = lines++;
            int nameLength = (int) Math.min(Integer.MAX_VALUE, semicolon - lineStart);
            int tenths = semicolon < lineEnd ? temperature(file, semicolon + 1, lineEnd) : NOT_A_NUMBER;
            String problem = null;
            if (semicolon == lineEnd) {
                problem = lineStart == lineEnd ? Reasons.EMPTY_LINE : Reasons.NO_SEPARATOR;
            } else if (nameLength == 0) {
                problem = Reasons.EMPTY_NAME;
            } else if (nameLength > MAX_NAME_BYTES) {
                problem = Reasons.NAME_TOO_LONG + ": " + nameLength + " bytes";
            } else if (tenths == NOT_A_NUMBER) {
                problem = temperatureProblem(file, semicolon + 1, lineEnd);
            } else if (!table.add(file, lineStart, nameLength, (int) (hash ^ (hash >>> 32)), tenths)) {
                problem = Reasons.INVALID_UTF8;
            }
            if (problem == null) {
                rows++;
            } else {
                rejects.add(new Reject(lineStart, lineIndex, problem, raw(file, lineStart, lineEnd)));
            }
            pos = next;
        }
        return new ChunkResult(chunk, lines, rows, table.toMap(), rejects);
    }

    private static final int NOT_A_NUMBER = Integer.MIN_VALUE;
    private static final ValueLayout.OfLong WORD = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(
            java.nio.ByteOrder.LITTLE_ENDIAN);
    private static final long SEMICOLONS = 0x3B3B3B3B3B3B3B3BL;
    private static final long NEWLINES = 0x0A0A0A0A0A0A0A0AL;

    /** The high bit of each zero byte of {@code x} is set (and maybe of bytes above the first zero: only the lowest
     * set bit is exact, and that is the one used). */
    private static long zeroBytes(long x) {
        return (x - 0x0101010101010101L) & ~x & 0x8080808080808080L;
    }

    private static long mixWord(long hash, long word) {
        return (hash ^ word) * 0x9E3779B97F4A7C15L;
    }

    /** {@code -?\d{1,2}\.\d} in {@code [from, to)} as tenths, or {@link #NOT_A_NUMBER}. */
    private static int temperature(MemorySegment file, long from, long to) {
        int length = (int) Math.min(8, to - from);
        if (length < 3) {
            return NOT_A_NUMBER;
        }
        boolean negative = file.get(ValueLayout.JAVA_BYTE, from) == '-';
        long p = negative ? from + 1 : from;
        int digits = (int) (to - p) - 2; // integer digits before ".d"
        if (digits < 1 || digits > 2 || file.get(ValueLayout.JAVA_BYTE, to - 2) != '.') {
            return NOT_A_NUMBER;
        }
        int value = 0;
        for (long i = p; i < to; i++) {
            if (i == to - 2) {
                continue;
            }
            int d = file.get(ValueLayout.JAVA_BYTE, i) - '0';
            if (d < 0 || d > 9) {
                return NOT_A_NUMBER;
            }
            value = value * 10 + d;
        }
        return negative ? -value : value;
    }

    /** Why {@code [from, to)} is not a temperature (only called for bad lines, so it may be slow). */
    private static String temperatureProblem(MemorySegment file, long from, long to) {
        return Reasons.temperature(text(file, from, Math.min(to, from + 64)));
    }

    private static String raw(MemorySegment file, long from, long to) {
        return text(file, from, Math.min(to, from + RAW_LIMIT));
    }

    private static String text(MemorySegment file, long from, long to) {
        return new String(file.asSlice(from, to - from).toArray(ValueLayout.JAVA_BYTE), StandardCharsets.UTF_8);
    }

    /** Open addressing on the name's bytes; one per chunk, so one thread. */
    private static final class Table {
        private int[] hashes = new int[1024];
        private byte[][] names = new byte[1024][];
        private MemorySegment[] segments = new MemorySegment[1024];
        private int[] min = new int[1024];
        private int[] max = new int[1024];
        private long[] sum = new long[1024];
        private long[] count = new long[1024];
        private int size;

        /** Adds a temperature to the name at {@code [at, at + length)}; false if a new name is not valid UTF-8. */
        boolean add(MemorySegment file, long at, int length, int hash, int tenths) {
            int mask = names.length - 1;
            int slot = mix(hash) & mask;
            while (names[slot] != null) {
                if (hashes[slot] == hash && names[slot].length == length
                        && MemorySegment.mismatch(file, at, at + length, segments[slot], 0, length) < 0) {
                    if (tenths < min[slot]) {
                        min[slot] = tenths;
                    }
                    if (tenths > max[slot]) {
                        max[slot] = tenths;
                    }
                    sum[slot] += tenths;
                    count[slot]++;
                    return true;
                }
                slot = (slot + 1) & mask;
            }
            byte[] name = file.asSlice(at, length).toArray(ValueLayout.JAVA_BYTE);
            if (!validUtf8(name)) {
                return false;
            }
            names[slot] = name;
            segments[slot] = MemorySegment.ofArray(name);
            hashes[slot] = hash;
            min[slot] = tenths;
            max[slot] = tenths;
            sum[slot] = tenths;
            count[slot] = 1;
            if (++size * 2 > names.length) {
                grow();
            }
            return true;
        }

        private static int mix(int hash) {
            return hash ^ (hash >>> 16);
        }

        private void grow() {
            int[] oldHashes = hashes;
            byte[][] oldNames = names;
            MemorySegment[] oldSegments = segments;
            int[] oldMin = min;
            int[] oldMax = max;
            long[] oldSum = sum;
            long[] oldCount = count;
            int capacity = oldNames.length * 2;
            hashes = new int[capacity];
            names = new byte[capacity][];
            segments = new MemorySegment[capacity];
            min = new int[capacity];
            max = new int[capacity];
            sum = new long[capacity];
            count = new long[capacity];
            int mask = capacity - 1;
            for (int i = 0; i < oldNames.length; i++) {
                if (oldNames[i] != null) {
                    int slot = mix(oldHashes[i]) & mask;
                    while (names[slot] != null) {
                        slot = (slot + 1) & mask;
                    }
                    names[slot] = oldNames[i];
                    segments[slot] = oldSegments[i];
                    hashes[slot] = oldHashes[i];
                    min[slot] = oldMin[i];
                    max[slot] = oldMax[i];
                    sum[slot] = oldSum[i];
                    count[slot] = oldCount[i];
                }
            }
        }

        Map<String, StationStats> toMap() {
            Map<String, StationStats> map = HashMap.newHashMap(size);
            for (int i = 0; i < names.length; i++) {
                if (names[i] != null) {
                    map.put(new String(names[i], StandardCharsets.UTF_8),
                            new StationStats(min[i], max[i], sum[i], count[i]));
                }
            }
            return map;
        }
    }

    private static boolean validUtf8(byte[] name) {
        for (byte b : name) {
            if (b < 0) {
                try {
                    StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                            .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(name));
                    return true;
                } catch (CharacterCodingException e) {
                    return false;
                }
            }
        }
        return true;
    }
}
