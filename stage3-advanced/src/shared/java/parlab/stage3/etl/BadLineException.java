package parlab.stage3.etl;

/**
 * A line that {@link SalesCsv#parse(byte[], int, int)} cannot turn into a {@link Sale}; its message is the reason that goes into the
 * rejects table. Thrown for every bad line, so it carries no stack trace (that would cost more than the parse).
 */
public final class BadLineException extends Exception {
    public BadLineException(String reason) {
        super(reason, null, false, false);
    }
}
