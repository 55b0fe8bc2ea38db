package parlab.stage1.files;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;
import java.util.StringJoiner;
import java.util.TreeMap;

/**
 * Min, max, sum and count of the temperatures of each weather station, and the parser that fills them from the
 * bytes of 1BRC lines ({@code <name>;<temperature>\n}). Plumbing, not the lesson: the same in the exercise and in
 * the solution; you only call {@link #parse}, {@link #merge} and {@link #format}.
 *
 * <p>Temperatures are kept as whole tenths of a degree in {@code int}s and {@code long}s, so adding them up is exact
 * and the order in which partial tables are merged cannot change the result. Names are kept as their UTF-8 bytes
 * and decoded once, when the table is formatted.
 *
 * <p>Not thread-safe: each worker fills a table of its own, and the caller merges them once the workers are done.
 */
public final class StationTable {
    /** The longest line the 1BRC rules allow: a 100-byte name, {@code ;}, {@code -99.9} and {@code \n}. */
    public static final int MAX_LINE_BYTES = 100 + 1 + 5 + 1;
    private static final int MAX_NAME_BYTES = 100;

    // Open addressing over parallel arrays; slot i is free while names[i] == null.
    private byte[][] names;
    private int[] hashes;
    private int[] mins;
    private int[] maxs;
    private long[] sums;
    private long[] counts;
    private int size;
    private final byte[] name = new byte[MAX_NAME_BYTES];

    public StationTable() {
        allocate(1 << 10);
    }

    /**
     * Parses every complete line of {@code buffer} between its position and its limit, and leaves the position at
     * the first byte it did not parse: the start of a last line that has no {@code \n} yet (or the limit). When
     * {@code endOfInput} is true there is no more to come, so such a last line is parsed as well.
     *
     * @throws IllegalArgumentException for a line that breaks the 1BRC rules, which is what a line cut in two at a
     *     chunk or buffer edge usually looks like
     */
    public void parse(ByteBuffer buffer, boolean endOfInput) {
        int limit = buffer.limit();
        int start = buffer.position();
        while (start < limit) {
            int end = start;
            while (end < limit && buffer.get(end) != '\n') {
                end++;
            }
            if (end == limit && !endOfInput) {
                break; // an incomplete line: wait for the rest of it
            }
            parseLine(buffer, start, end);
            start = Math.min(end + 1, limit);
        }
        buffer.position(start);
    }

    /** Adds one line, {@code buffer[start, end)} without its {@code \n}. */
    private void parseLine(ByteBuffer buffer, int start, int end) {
        int semicolon = end - 1;
        while (semicolon >= start && end - semicolon <= 6 && buffer.get(semicolon) != ';') {
            semicolon--;
        }
        int length = semicolon - start;
        if (semicolon < start || buffer.get(semicolon) != ';') {
            throw malformed(buffer, start, end, "no ';' near its end");
        }
        if (length < 1 || length > MAX_NAME_BYTES) {
            throw malformed(buffer, start, end, "the name must have 1 to 100 bytes, it has " + length);
        }
        buffer.get(start, name, 0, length);
        add(name, length, hash(name, length), parseTenths(buffer, semicolon + 1, end, start));
    }

    /** Parses {@code -?d?d.d} into tenths of a degree. */
    private static int parseTenths(ByteBuffer buffer, int from, int to, int lineStart) {
        int i = from;
        boolean negative = i < to && buffer.get(i) == '-';
        if (negative) {
            i++;
        }
        int digits = to - i; // "d.d" or "dd.d"
        if ((digits != 3 && digits != 4) || buffer.get(to - 2) != '.') {
            throw malformed(buffer, lineStart, to, "the temperature must look like -12.3");
        }
        int value = 0;
        for (; i < to; i++) {
            byte b = buffer.get(i);
            if (i == to - 2) {
                continue;
            }
            if (b < '0' || b > '9') {
                throw malformed(buffer, lineStart, to, "the temperature must look like -12.3");
            }
            value = value * 10 + (b - '0');
        }
        return negative ? -value : value;
    }

    private static IllegalArgumentException malformed(ByteBuffer buffer, int start, int end, String why) {
        byte[] line = new byte[end - start];
        buffer.get(start, line);
        return new IllegalArgumentException("malformed line \"" + new String(line, StandardCharsets.UTF_8) + "\": "
                + why + ". Was the line cut at a chunk or buffer edge?");
    }

    private static int hash(byte[] bytes, int length) {
        int h = 1;
        for (int i = 0; i < length; i++) {
            h = 31 * h + bytes[i];
        }
        return h ^ (h >>> 16);
    }

    private void add(byte[] key, int length, int hash, int tenths) {
        int slot = find(key, length, hash);
        if (names[slot] == null) {
            insert(slot, Arrays.copyOf(key, length), hash, tenths, tenths, tenths, 1);
        } else {
            mins[slot] = Math.min(mins[slot], tenths);
            maxs[slot] = Math.max(maxs[slot], tenths);
            sums[slot] += tenths;
            counts[slot]++;
        }
    }

    /** Adds everything {@code other} holds to this table. */
    public void merge(StationTable other) {
        for (int i = 0; i < other.names.length; i++) {
            byte[] key = other.names[i];
            if (key == null) {
                continue;
            }
            int slot = find(key, key.length, other.hashes[i]);
            if (names[slot] == null) {
                insert(slot, key, other.hashes[i], other.mins[i], other.maxs[i], other.sums[i], other.counts[i]);
            } else {
                mins[slot] = Math.min(mins[slot], other.mins[i]);
                maxs[slot] = Math.max(maxs[slot], other.maxs[i]);
                sums[slot] += other.sums[i];
                counts[slot] += other.counts[i];
            }
        }
    }

    /** The slot holding {@code key}, or the free slot where it belongs. */
    private int find(byte[] key, int length, int hash) {
        int mask = names.length - 1;
        int slot = hash & mask;
        while (names[slot] != null
                && (hashes[slot] != hash || !Arrays.equals(names[slot], 0, names[slot].length, key, 0, length))) {
            slot = (slot + 1) & mask;
        }
        return slot;
    }

    private void insert(int slot, byte[] key, int hash, int min, int max, long sum, long count) {
        names[slot] = key;
        hashes[slot] = hash;
        mins[slot] = min;
        maxs[slot] = max;
        sums[slot] = sum;
        counts[slot] = count;
        if (++size * 2 > names.length) {
            grow();
        }
    }

    private void grow() {
        byte[][] oldNames = names;
        int[] oldHashes = hashes;
        int[] oldMins = mins;
        int[] oldMaxs = maxs;
        long[] oldSums = sums;
        long[] oldCounts = counts;
        allocate(oldNames.length * 2);
        for (int i = 0; i < oldNames.length; i++) {
            if (oldNames[i] != null) {
                int slot = find(oldNames[i], oldNames[i].length, oldHashes[i]);
                names[slot] = oldNames[i];
                hashes[slot] = oldHashes[i];
                mins[slot] = oldMins[i];
                maxs[slot] = oldMaxs[i];
                sums[slot] = oldSums[i];
                counts[slot] = oldCounts[i];
                size++;
            }
        }
    }

    private void allocate(int capacity) {
        names = new byte[capacity][];
        hashes = new int[capacity];
        mins = new int[capacity];
        maxs = new int[capacity];
        sums = new long[capacity];
        counts = new long[capacity];
        size = 0;
    }

    /** How many stations the table holds. */
    public int stations() {
        return size;
    }

    /** How many measurements (lines) the table holds, over all stations. */
    public long measurements() {
        long total = 0;
        for (int i = 0; i < names.length; i++) {
            total += counts[i];
        }
        return total;
    }

    /**
     * The 1BRC result: {@code {name=min/mean/max, ...}}, stations in {@code String} order, one fractional digit,
     * the mean rounded as the challenge's reference implementation rounds it.
     */
    public String format() {
        Map<String, String> sorted = new TreeMap<>();
        for (int i = 0; i < names.length; i++) {
            if (names[i] != null) {
                double mean = sums[i] / 10.0 / counts[i];
                sorted.put(new String(names[i], StandardCharsets.UTF_8),
                        mins[i] / 10.0 + "/" + Math.round(mean * 10.0) / 10.0 + "/" + maxs[i] / 10.0);
            }
        }
        StringJoiner out = new StringJoiner(", ", "{", "}");
        sorted.forEach((station, stats) -> out.add(station + "=" + stats));
        return out.toString();
    }

    /** The same as {@link #format()}. */
    @Override
    public String toString() {
        return format();
    }
}
