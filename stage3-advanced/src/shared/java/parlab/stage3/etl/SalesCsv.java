package parlab.stage3.etl;

import java.nio.charset.StandardCharsets;

/**
 * The input format of s3e13 and its parse-and-transform step. Plumbing, not the lesson: read it to know what a
 * good line is; the part that is yours is {@link ParallelEtl}, which runs it in parallel.
 *
 * <p>The file is UTF-8 text, one record per line, lines ending in {@code "\n"} (or {@code "\r\n"}); the last line
 * may lack its line break. Line 1 is the header {@value #HEADER}. Every other line has exactly four fields
 * separated by commas:
 * <ul>
 *   <li>{@code id}: a whole number (a Java {@code long});
 *   <li>{@code name}: any non-empty text; a name with a comma or a quote is written in double quotes, a quote
 *       inside doubled ({@code "Smith, ""Jo"""} is {@code Smith, "Jo"}). A field never holds a line break, which
 *       is what lets a reader cut the file at any {@code '\n'};
 *   <li>{@code amount}: a decimal number with at most two digits after the point ({@code 12}, {@code 12.5},
 *       {@code -0.25}), stored in cents;
 *   <li>{@code quantity}: a whole number (a Java {@code int}).
 * </ul>
 * The transform adds {@code total_cents = amount_cents * quantity}. Anything else is a bad line, and the
 * {@link BadLineException}'s message says why ({@code "expected 4 fields, found 3"}, {@code "unterminated quote"},
 * {@code "amount is not a number: 'abc'"}, ...).
 */
public final class SalesCsv {
    public static final String HEADER = "id,name,amount,quantity";
    private static final int FIELDS = 4;

    private SalesCsv() {
    }

    /** The text of the line in {@code bytes[start, end)} (its {@code '\n'} excluded), without a trailing {@code '\r'}. */
    public static String decodeLine(byte[] bytes, int start, int end) {
        if (end > start && bytes[end - 1] == '\r') {
            end--;
        }
        return new String(bytes, start, end - start, StandardCharsets.UTF_8);
    }

    /**
     * Parses and transforms the line in {@code bytes[start, end)}: its {@code '\n'} excluded, a trailing {@code '\r'}
     * ignored. Works on the bytes as they are: only the name becomes a {@code String}.
     */
    public static Sale parse(byte[] bytes, int start, int end) throws BadLineException {
        if (end > start && bytes[end - 1] == '\r') {
            end--;
        }
        int[] bounds = new int[2 * FIELDS]; // [start, end) of each field's content, quotes excluded
        int escaped = 0;                    // bit i: field i holds a doubled quote
        int count = 0;
        int pos = start;
        while (true) {
            int fieldStart;
            int fieldEnd;
            if (pos < end && bytes[pos] == '"') {
                fieldStart = ++pos;
                while (true) {
                    if (pos >= end) {
                        throw new BadLineException("unterminated quote in field " + (count + 1));
                    }
                    if (bytes[pos] == '"') {
                        if (pos + 1 < end && bytes[pos + 1] == '"') {
                            escaped |= count < FIELDS ? 1 << count : 0;
                            pos += 2;
                            continue;
                        }
                        break;
                    }
                    pos++;
                }
                fieldEnd = pos++;
                if (pos < end && bytes[pos] != ',') {
                    throw new BadLineException("text after the closing quote in field " + (count + 1));
                }
            } else {
                fieldStart = pos;
                while (pos < end && bytes[pos] != ',') {
                    if (bytes[pos] == '"') {
                        throw new BadLineException("stray quote in field " + (count + 1));
                    }
                    pos++;
                }
                fieldEnd = pos;
            }
            if (count < FIELDS) {
                bounds[2 * count] = fieldStart;
                bounds[2 * count + 1] = fieldEnd;
            }
            count++;
            if (pos >= end) {
                break;
            }
            pos++; // the comma
            if (pos == end) {
                count++; // a trailing comma ends with an empty field
                break;
            }
        }
        if (count != FIELDS) {
            throw new BadLineException("expected " + FIELDS + " fields, found " + count);
        }
        long id = parseLong("id", bytes, bounds[0], bounds[1]);
        if (bounds[3] == bounds[2]) {
            throw new BadLineException("name is empty");
        }
        String name = new String(bytes, bounds[2], bounds[3] - bounds[2], StandardCharsets.UTF_8);
        if ((escaped & 2) != 0) {
            name = name.replace("\"\"", "\"");
        }
        long amountCents = parseCents(bytes, bounds[4], bounds[5]);
        long quantity = parseLong("quantity", bytes, bounds[6], bounds[7]);
        if (quantity != (int) quantity) {
            throw new BadLineException("quantity is out of range: '" + text(bytes, bounds[6], bounds[7]) + "'");
        }
        long total;
        try {
            total = Math.multiplyExact(amountCents, quantity);
        } catch (ArithmeticException e) {
            throw new BadLineException("total overflows: " + text(bytes, bounds[4], bounds[5]) + " * "
                    + text(bytes, bounds[6], bounds[7]));
        }
        return new Sale(id, name, amountCents, (int) quantity, total);
    }

    /** Parses and transforms one line given as text (without its line break). */
    public static Sale parse(String line) throws BadLineException {
        byte[] bytes = line.getBytes(StandardCharsets.UTF_8);
        return parse(bytes, 0, bytes.length);
    }

    private static String text(byte[] bytes, int start, int end) {
        return new String(bytes, start, end - start, StandardCharsets.UTF_8);
    }

    private static long parseLong(String what, byte[] bytes, int start, int end) throws BadLineException {
        int i = start;
        boolean negative = i < end && bytes[i] == '-';
        if (negative) {
            i++;
        }
        if (i == end || end - i > 18) {
            throw new BadLineException(what + " is not a number: '" + text(bytes, start, end) + "'");
        }
        long value = 0;
        for (; i < end; i++) {
            byte c = bytes[i];
            if (c < '0' || c > '9') {
                throw new BadLineException(what + " is not a number: '" + text(bytes, start, end) + "'");
            }
            value = value * 10 + (c - '0');
        }
        return negative ? -value : value;
    }

    private static long parseCents(byte[] bytes, int start, int end) throws BadLineException {
        int i = start;
        boolean negative = i < end && bytes[i] == '-';
        if (negative) {
            i++;
        }
        long whole = 0;
        int wholeDigits = 0;
        for (; i < end && isDigit(bytes[i]); i++, wholeDigits++) {
            whole = whole * 10 + (bytes[i] - '0');
        }
        long fraction = 0;
        int fractionDigits = -1; // -1: no point
        if (i < end && bytes[i] == '.') {
            fractionDigits = 0;
            for (i++; i < end && isDigit(bytes[i]); i++, fractionDigits++) {
                fraction = fraction * 10 + (bytes[i] - '0');
            }
        }
        if (i != end || wholeDigits == 0 || wholeDigits > 16 || fractionDigits == 0 || fractionDigits > 2) {
            throw new BadLineException("amount is not a number: '" + text(bytes, start, end) + "'");
        }
        long cents = whole * 100 + (fractionDigits == 1 ? fraction * 10 : fraction);
        return negative ? -cents : cents;
    }

    private static boolean isDigit(byte c) {
        return c >= '0' && c <= '9';
    }
}
