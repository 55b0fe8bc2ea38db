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
 * <p>The hot loop makes no object per line: it reads the line 8 bytes at a time ({@code long} words of the mapping,
 * little-endian), finds {@code ';'} and {@code '\n'} in a word with a few arithmetic operations (SWAR: "SIMD within a
 * register"), hashes the name's words, finds the station in an open-addressing table keyed by the name's bytes (no
 * {@code String} until the end of the chunk), and validates and parses the temperature from one word as an integer
 * number of tenths. A line is good if it is {@code <name>;<temperature>}: a name of 1 to 100 bytes of valid UTF-8
 * without {@code ';'}, a temperature {@code -?\d{1,2}\.\d} (so within [-99.9, 99.9] with exactly one fractional
 * digit), a {@code '\n'} (or the end of the file) after it. Anything else becomes a {@link Reject} with the line's
 * byte offset and its index in the chunk, and the parse goes on.
 *
 * <p>Two paths: {@code fastLines} takes a line only if every rule holds, checked on whole words, and names of up to
 * 16 bytes (most of them) take no branch on their length; any other line, and the last lines of the file (where a
 * word would read past the mapping), goes through {@code slowLine}, byte by byte, which finds out what is wrong. Both
 * hash a name the same way, so they share the table. At most {@link #MAX_REJECTS_KEPT} rejects per chunk keep their
 * text; the rest are counted.
 *
 * <p>A name is checked once per distinct name, when it first enters the table (valid UTF-8, no {@code '\n'}): a later
 * line whose bytes equal an entry's bytes is valid by equality. So the fast path does not look for a line break
 * before the {@code ';'}: if there is one, the "name" it reads (the end of one line and the start of the next)
 * matches no entry and may not enter the table, and the line goes to the slow path. Other ways: a
 * {@code HashMap<String, ...>} per line is simpler and about 3x slower (a {@code String} and a decode per line); a
 * byte-at-a-time scan with the same table, about 2x slower.
 */
public final class ChunkParser {
    /** The longest station name, in UTF-8 bytes (the challenge's rule). */
    public static final int MAX_NAME_BYTES = 100;
    /**
     * The rejects of one chunk kept with their text, at most: the others are only counted ({@code lines - rows}), so
     * that a file of bad lines needs no more memory than a good one.
     */
    public static final int MAX_REJECTS_KEPT = 10_000;
    private static final int RAW_LIMIT = 300;

    private ChunkParser() {
    }

    public static ChunkResult parse(MemorySegment file, Chunk chunk) {
        Table table = Table.forThisThread();
        try {
            Rejects rejects = new Rejects();
            long end = chunk.end();
            long size = file.byteSize();
            long fastEnd = Math.min(end, size - FAST_MARGIN); // lines starting before it may be read a word at a time
            long pos = chunk.start();
            long lines = 0;
            while (pos < end) {
                if (pos < fastEnd) {
                    pos = fastLines(file, pos, fastEnd, table);
                    lines += table.taken;
                    if (pos >= end) {
                        break;
                    }
                }
                pos = slowLine(file, pos, end, lines, table, rejects);
                lines++;
            }
            return new ChunkResult(chunk, lines, lines - rejects.count(), table.toMap(), rejects.list());
        } catch (RuntimeException | Error e) {
            Table.forget(); // it may be half-grown: the thread's next chunk starts a new one
            throw e;
        }
    }

    /** Bytes left after a line's start for {@link #fastLines}: a name of 100 bytes, ';', "-99.9\n" and words. */
    private static final long FAST_MARGIN = 128;

    /**
     * The common case, good lines one after another, with names of up to 16 bytes, or up to 100: reads a name a word
     * at a time, validates and parses the temperature from one word without a branch per byte. Takes lines from
     * {@code pos} while they start before {@code limit}, and returns where it stopped: at {@code limit} or past it,
     * or at the start of a line it does not accept as good (the slow path then finds out why). Puts the number of
     * lines taken in {@link Table#taken}. At least {@link #FAST_MARGIN} bytes of the file follow {@code limit}, so
     * no read goes past the mapping. One loop over many lines, not a call per line (the method is too big for the
     * JIT to inline): no call, stack frame or check of the segment's class per line. That, and the byte masks of a
     * short name computed rather than looked up in tables, took about 6% off a 100M-row run.
     */
    private static long fastLines(MemorySegment file, long pos, long limit, Table table) {
        long taken = 0;
        lines:
        while (pos < limit) {
            long word1 = file.get(WORD, pos);
            long word2 = file.get(WORD, pos + 8);
            long semi1 = zeroBytes(word1 ^ SEMICOLONS);
            long semi2 = zeroBytes(word2 ^ SEMICOLONS);
            long hash;
            long key0;
            long key1;
            int length;
            if ((semi1 | semi2) != 0) {
                // a name of up to 16 bytes, without a branch on its length, from the lowest set bit of each mask
                // (it is exact: a false positive only sits above a true match): the bytes before the ';', all 8 if
                // it is not in word1; second is all set if the name goes on into word2
                long mask1 = ((semi1 & -semi1) >>> 7) - 1;
                long second = mask1 >> 63;
                long mask2 = (((semi2 & -semi2) >>> 7) - 1) & second;
                key0 = word1 & mask1;
                key1 = word2 & mask2;
                length = (Long.numberOfTrailingZeros(semi1) >>> 3)
                        + ((Long.numberOfTrailingZeros(semi2) >>> 3) & (int) second);
                if (length == 0) {
                    break lines; // an empty name (a line break before the ';' makes a name the table refuses)
                }
                hash = hashFirstWords(key0, key1);
            } else {
                if ((zeroBytes(word1 ^ NEWLINES) | zeroBytes(word2 ^ NEWLINES)) != 0) {
                    break lines;
                }
                key0 = word1;
                key1 = word2;
                hash = hashFirstWords(word1, word2);
                length = 16;
                while (true) { // a long name: on to its ';', at most 100 bytes
                    long word = file.get(WORD, pos + length);
                    long semi = zeroBytes(word ^ SEMICOLONS);
                    long newline = zeroBytes(word ^ NEWLINES);
                    if (semi != 0) {
                        if (((semi - 1) & newline) != 0) {
                            break lines;
                        }
                        int bits = Long.numberOfTrailingZeros(semi) - 7;
                        if (bits > 0) {
                            hash = mixWord(hash, word & ((1L << bits) - 1));
                        }
                        length += bits >>> 3;
                        break;
                    }
                    if (newline != 0) {
                        break lines;
                    }
                    hash = mixWord(hash, word);
                    length += 8;
                    if (length > MAX_NAME_BYTES) {
                        break lines;
                    }
                }
                if (length > MAX_NAME_BYTES) {
                    break lines;
                }
            }
            long at = pos + length + 1;
            long word = file.get(WORD, at);
            int tenths = temperatureWord(word);
            if (tenths == NOT_A_NUMBER) {
                break lines;
            }
            if (!table.addFast(file, pos, length, key0, key1, reduce(hash), tenths)) {
                break lines;
            }
            // the temperature "-?d?d.d" ends 2 bytes after its '.', then the '\n'
            pos = at + (Long.numberOfTrailingZeros(zeroBytes(word ^ DOTS)) >>> 3) + 3;
            taken++;
        }
        table.taken = taken;
        return pos;
    }

    /**
     * The temperature at the start of {@code word} (little-endian) if it is {@code -?\d{1,2}\.\d} followed by
     * {@code '\n'}, as tenths; otherwise {@link #NOT_A_NUMBER}. Validates every byte with word operations, then
     * computes the value without a branch: the digits are moved into fixed places by the position of the '.' and
     * combined by one multiplication.
     */
    static int temperatureWord(long word) {
        long dots = zeroBytes(word ^ DOTS);
        int dot = Long.numberOfTrailingZeros(dots) >>> 3; // 8 if none
        long minus = (word & 0xFF) == '-' ? 1 : 0;
        int integerDigits = dot - (int) minus;
        if (integerDigits < 1 || integerDigits > 2) {
            return NOT_A_NUMBER; // also when there is no '.' in the first 4 bytes
        }
        // digits where they must be: [minus, dot) and dot + 1; then the line break at dot + 2
        long digitBytes = (((1L << (dot << 3)) - 1) & ~((1L << (minus << 3)) - 1)) | (0xFFL << ((dot + 1) << 3));
        long x = word ^ 0x3030303030303030L;
        long nonDigits = (((x & 0x7F7F7F7F7F7F7F7FL) + 0x7676767676767676L) | x) & 0x8080808080808080L;
        if ((nonDigits & digitBytes) != 0 || ((word >>> ((dot + 2) << 3)) & 0xFF) != '\n') {
            return NOT_A_NUMBER;
        }
        // after the shift the digits sit in bytes 1 (tens, or 0), 2 (units) and 4 (tenths), the '.' in byte 3
        int shift = (3 - dot) << 3;
        long signed = -minus;
        long digits = ((word & ~(signed & 0xFF)) << shift) & 0x0F000F0F00L;
        long value = ((digits * 0x640A0001L) >>> 32) & 0x3FF;
        return (int) ((value ^ signed) - signed);
    }

    /**
     * The hash {@link #fastLines} computes as it scans: {@link #hashFirstWords} of the name's first 16 bytes as two
     * little-endian words, zero-padded, then {@link #mixWord} with each further word.
     */
    private static long hashOf(MemorySegment file, long at, int length) {
        int words = Math.max(2, (length + 7) >>> 3);
        long[] word = new long[words];
        for (int i = 0; i < words; i++) {
            for (int b = 0; b < 8 && 8 * i + b < length; b++) {
                word[i] |= (file.get(ValueLayout.JAVA_BYTE, at + 8 * i + b) & 0xFFL) << (8 * b);
            }
        }
        long hash = hashFirstWords(word[0], word[1]);
        for (int i = 2; i < words; i++) {
            hash = mixWord(hash, word[i]);
        }
        return hash;
    }

    /** The table's hash: the high half of the product, where every bit of the words has had its effect. */
    private static int reduce(long hash) {
        return (int) (hash >>> 32);
    }

    /**
     * Any line, good or bad, a byte at a time where needed: finds the line's end and why it is bad, if it is.
     * Returns the next line's start.
     */
    private static long slowLine(MemorySegment file, long lineStart, long end, long lineIndex, Table table,
            Rejects rejects) {
        long size = file.byteSize();
        long pos = lineStart;
        // the name: up to ';' or the end of the line, 8 bytes at a time while 8 bytes remain in the file
        byte b = 0;
        boolean found = false;
        while (pos + 8 <= size) {
            long word = file.get(WORD, pos);
            long match = zeroBytes(word ^ SEMICOLONS) | zeroBytes(word ^ NEWLINES);
            if (match != 0) {
                pos += Long.numberOfTrailingZeros(match) >>> 3;
                b = file.get(ValueLayout.JAVA_BYTE, pos);
                found = true;
                break;
            }
            pos += 8;
        }
        if (!found) {
            // the last few bytes of the file
            while (pos < end && (b = file.get(ValueLayout.JAVA_BYTE, pos)) != ';' && b != '\n') {
                pos++;
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
        int nameLength = (int) Math.min(Integer.MAX_VALUE, semicolon - lineStart);
        int tenths = semicolon < lineEnd ? temperature(file, semicolon + 1, lineEnd) : NOT_A_NUMBER;
        int problem = 0;
        if (semicolon == lineEnd) {
            problem = lineStart == lineEnd ? EMPTY_LINE : NO_SEPARATOR;
        } else if (nameLength == 0) {
            problem = EMPTY_NAME;
        } else if (nameLength > MAX_NAME_BYTES) {
            problem = NAME_TOO_LONG;
        } else if (tenths == NOT_A_NUMBER) {
            problem = BAD_TEMPERATURE;
        } else if (!table.add(file, lineStart, nameLength, reduce(hashOf(file, lineStart, nameLength)), tenths)) {
            problem = INVALID_UTF8;
        }
        if (problem != 0) {
            rejects.add(file, lineStart, semicolon, lineEnd, lineIndex, problem, nameLength);
        }
        return next;
    }

    private static final int NOT_A_NUMBER = Integer.MIN_VALUE;
    private static final ValueLayout.OfLong WORD = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(
            java.nio.ByteOrder.LITTLE_ENDIAN);
    private static final long SEMICOLONS = 0x3B3B3B3B3B3B3B3BL;
    private static final long NEWLINES = 0x0A0A0A0A0A0A0A0AL;
    private static final long DOTS = 0x2E2E2E2E2E2E2E2EL;

    /** The high bit of each zero byte of {@code x} is set (and maybe of bytes above the first zero: only the lowest
     * set bit is exact, and that is the one used). */
    private static long zeroBytes(long x) {
        return (x - 0x0101010101010101L) & ~x & 0x8080808080808080L;
    }

    /** One multiplication for the two words of most names (a second one would lengthen every line's work). */
    private static long hashFirstWords(long word1, long word2) {
        return (word1 ^ Long.rotateLeft(word2, 29)) * 0x9E3779B97F4A7C15L;
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

    /**
     * A chunk's rejects: all counted, the first {@link #MAX_REJECTS_KEPT} kept with their text, so that a chunk full
     * of bad lines holds a bounded amount of memory.
     */
    private static final class Rejects {
        private final List<Reject> kept = new ArrayList<>();
        private long count;

        void add(MemorySegment file, long lineStart, long semicolon, long lineEnd, long lineIndex, int problem,
                int nameLength) {
            count++;
            if (kept.size() < MAX_REJECTS_KEPT) {
                kept.add(new Reject(lineStart, lineIndex, reason(file, problem, nameLength, semicolon, lineEnd),
                        raw(file, lineStart, lineEnd)));
            }
        }

        long count() {
            return count;
        }

        List<Reject> list() {
            return kept;
        }
    }

    private static final int EMPTY_LINE = 1;
    private static final int NO_SEPARATOR = 2;
    private static final int EMPTY_NAME = 3;
    private static final int NAME_TOO_LONG = 4;
    private static final int BAD_TEMPERATURE = 5;
    private static final int INVALID_UTF8 = 6;

    private static String reason(MemorySegment file, int problem, int nameLength, long semicolon, long lineEnd) {
        return switch (problem) {
            case EMPTY_LINE -> Reasons.EMPTY_LINE;
            case NO_SEPARATOR -> Reasons.NO_SEPARATOR;
            case EMPTY_NAME -> Reasons.EMPTY_NAME;
            case NAME_TOO_LONG -> Reasons.NAME_TOO_LONG + ": " + nameLength + " bytes";
            case BAD_TEMPERATURE -> temperatureProblem(file, semicolon + 1, lineEnd);
            case INVALID_UTF8 -> Reasons.INVALID_UTF8;
            default -> throw new IllegalArgumentException("problem " + problem);
        };
    }

    /**
     * Open addressing on the name's bytes, one per thread: a thread keeps its table from one chunk to the next and
     * only clears the statistics, so a station's name is copied, checked and decoded into a {@code String} once per
     * thread rather than once per chunk (a few hundred stations times dozens of chunks, work that was hot enough to
     * cost its own JIT compilations). A slot is {@value #STRIDE} {@code long}s side by side in one array, 64 bytes:
     * the name's first 16 bytes as two little-endian words, zero-padded, then its hash and length, then min, max, sum
     * and count. A name of up to 16 bytes is found by comparing with the words the scan has already read, and a line
     * touches one or two cache lines of the table (with keys and statistics in three arrays it touched three, and
     * parsing took about 3% longer); the bytes after the 16th are kept as words too, elsewhere. At least 4096 slots,
     * at most half full: with a few hundred stations nearly every name is in its first slot (at 1024 slots, 40%
     * full, more lines probed a second slot and parsing took about 10% longer).
     */
    private static final class Table {
        private static final int INITIAL = 4096;
        /** The {@code long}s of a slot, and where each value sits in it (the last one is padding). */
        private static final int STRIDE = 8;
        private static final int KEY0 = 0;
        private static final int KEY1 = 1;
        private static final int META = 2;
        private static final int MIN = 3;
        private static final int MAX = 4;
        private static final int SUM = 5;
        private static final int COUNT = 6;
        /** A thread's table is kept for its next chunk unless it grew past this many slots (a file of many names). */
        private static final int KEPT_UP_TO = 1 << 16;
        private static final ThreadLocal<Table> OF_THREAD = new ThreadLocal<>();

        private long[] slots = new long[STRIDE * INITIAL];
        private long[][] tails = new long[INITIAL][];
        private byte[][] names = new byte[INITIAL][];
        private String[] strings = new String[INITIAL];
        /**
         * The slots in use, {@code size} of them, so that clearing and reading the statistics of a chunk touch its
         * few hundred stations, not every slot (clearing whole arrays per chunk was hot enough to be compiled twice).
         */
        private int[] used = new int[INITIAL];
        private int size;
        /** The lines that the last {@link ChunkParser#fastLines} call took. */
        long taken;

        /** This thread's table, its statistics cleared. */
        static Table forThisThread() {
            Table table = OF_THREAD.get();
            if (table == null || table.names.length > KEPT_UP_TO) {
                table = new Table();
                OF_THREAD.set(table);
            } else {
                table.clearStatistics();
            }
            return table;
        }

        static void forget() {
            OF_THREAD.remove();
        }

        /** Every slot in use to "no line yet": count 0, and min and max that the first line replaces. */
        private void clearStatistics() {
            for (int i = 0; i < size; i++) {
                int slot = used[i];
                int at = STRIDE * slot;
                slots[at + MIN] = Integer.MAX_VALUE;
                slots[at + MAX] = Integer.MIN_VALUE;
                slots[at + SUM] = 0;
                slots[at + COUNT] = 0;
            }
        }

        private static long meta(int hash, int length) {
            return ((long) hash << 32) | length; // length >= 1, so 0 means an empty slot
        }

        /**
         * {@link #add} for the fast path, which knows the name's first 16 bytes as {@code key0} and {@code key1}:
         * false if a new name is not valid UTF-8 or holds a line break.
         */
        boolean addFast(MemorySegment file, long at, int length, long key0, long key1, int hash, int tenths) {
            int mask = names.length - 1;
            int slot = hash & mask;
            long meta = meta(hash, length);
            while (true) {
                int base = STRIDE * slot;
                long m = slots[base + META];
                if (m == meta && slots[base + KEY0] == key0 && slots[base + KEY1] == key1
                        && (length <= 16 || tailEquals(file, at + 16, length - 16, tails[slot]))) {
                    record(slot, tenths);
                    return true;
                }
                if (m == 0) {
                    return insert(file, at, length, hash, tenths, slot);
                }
                slot = (slot + 1) & mask;
            }
        }

        private static boolean tailEquals(MemorySegment file, long from, int length, long[] tail) {
            int i = 0;
            for (; length > 8; i++, length -= 8) {
                if (file.get(WORD, from + 8L * i) != tail[i]) {
                    return false;
                }
            }
            return (file.get(WORD, from + 8L * i) & (-1L >>> (64 - 8 * length))) == tail[i];
        }

        /** Adds a temperature to the name at {@code [at, at + length)}; false if a new name is not valid UTF-8. */
        boolean add(MemorySegment file, long at, int length, int hash, int tenths) {
            int mask = names.length - 1;
            int slot = hash & mask;
            long meta = meta(hash, length);
            while (true) {
                long m = slots[STRIDE * slot + META];
                if (m == meta && MemorySegment.mismatch(file, at, at + length, MemorySegment.ofArray(names[slot]), 0,
                        length) < 0) {
                    record(slot, tenths);
                    return true;
                }
                if (m == 0) {
                    return insert(file, at, length, hash, tenths, slot);
                }
                slot = (slot + 1) & mask;
            }
        }

        private void record(int slot, int tenths) {
            int at = STRIDE * slot;
            if (tenths < slots[at + MIN]) {
                slots[at + MIN] = tenths;
            }
            if (tenths > slots[at + MAX]) {
                slots[at + MAX] = tenths;
            }
            slots[at + SUM] += tenths;
            slots[at + COUNT]++;
        }

        private boolean insert(MemorySegment file, long at, int length, int hash, int tenths, int slot) {
            byte[] name = file.asSlice(at, length).toArray(ValueLayout.JAVA_BYTE);
            if (!validName(name)) {
                return false;
            }
            int words = (length + 7) / 8;
            MemorySegment padded = MemorySegment.ofArray(new long[Math.max(2, words)]);
            MemorySegment.copy(MemorySegment.ofArray(name), 0, padded, 0, length);
            names[slot] = name;
            strings[slot] = new String(name, StandardCharsets.UTF_8);
            int base = STRIDE * slot;
            slots[base + KEY0] = padded.get(WORD, 0);
            slots[base + KEY1] = padded.get(WORD, 8);
            slots[base + META] = meta(hash, length);
            if (length > 16) {
                long[] tail = new long[words - 2];
                for (int i = 0; i < tail.length; i++) {
                    tail[i] = padded.get(WORD, 16 + 8L * i);
                }
                tails[slot] = tail;
            }
            slots[base + MIN] = tenths;
            slots[base + MAX] = tenths;
            slots[base + SUM] = tenths;
            slots[base + COUNT] = 1;
            used[size] = slot;
            if (++size * 2 > names.length) {
                grow();
            }
            return true;
        }

        private void grow() {
            long[] oldSlots = slots;
            long[][] oldTails = tails;
            byte[][] oldNames = names;
            String[] oldStrings = strings;
            int capacity = oldNames.length * 2;
            slots = new long[STRIDE * capacity];
            tails = new long[capacity][];
            names = new byte[capacity][];
            strings = new String[capacity];
            int[] oldUsed = used;
            used = new int[capacity];
            int mask = capacity - 1;
            for (int k = 0; k < size; k++) {
                int i = oldUsed[k];
                int slot = (int) (oldSlots[STRIDE * i + META] >>> 32) & mask;
                while (names[slot] != null) {
                    slot = (slot + 1) & mask;
                }
                names[slot] = oldNames[i];
                strings[slot] = oldStrings[i];
                tails[slot] = oldTails[i];
                System.arraycopy(oldSlots, STRIDE * i, slots, STRIDE * slot, STRIDE);
                used[k] = slot;
            }
        }

        Map<String, StationStats> toMap() {
            Map<String, StationStats> map = HashMap.newHashMap(size);
            for (int k = 0; k < size; k++) {
                int i = used[k];
                int at = STRIDE * i;
                if (slots[at + COUNT] > 0) {
                    map.put(strings[i], new StationStats((int) slots[at + MIN], (int) slots[at + MAX],
                            slots[at + SUM], slots[at + COUNT]));
                }
            }
            return map;
        }
    }

    /** Valid UTF-8 without a line break (the fast path's "name" runs into the next line if its line has no ';'). */
    private static boolean validName(byte[] name) {
        boolean ascii = true;
        for (byte b : name) {
            if (b == '\n') {
                return false;
            }
            ascii &= b >= 0;
        }
        if (ascii) {
            return true;
        }
        try {
            StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(name));
            return true;
        } catch (CharacterCodingException e) {
            return false;
        }
    }
}
