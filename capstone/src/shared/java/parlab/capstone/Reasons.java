package parlab.capstone;

/**
 * Why a line is rejected: every {@link Reject#reason()} starts with one of these (details may follow after a
 * colon), so that the rejects table can be grouped by reason.
 */
public final class Reasons {
    public static final String EMPTY_LINE = "empty line";
    public static final String NO_SEPARATOR = "no ';' between station and temperature";
    public static final String EMPTY_NAME = "empty station name";
    public static final String NAME_TOO_LONG = "station name longer than 100 bytes";
    public static final String INVALID_UTF8 = "station name is not valid UTF-8";
    public static final String MISSING_TEMPERATURE = "missing temperature";
    public static final String OUT_OF_RANGE = "temperature out of range [-99.9, 99.9]";
    public static final String NOT_ONE_FRACTIONAL_DIGIT = "temperature must have exactly one fractional digit";
    public static final String NOT_A_NUMBER = "temperature is not a number";

    private Reasons() {
    }

    /**
     * Why {@code text} (what follows the {@code ';'}, without the line break) is not a valid temperature. Slow (regular
     * expressions): call it only for a line already known to be bad.
     */
    public static String temperature(String text) {
        String shown = text.length() > 40 ? text.substring(0, 40) + "…" : text;
        if (text.isEmpty()) {
            return MISSING_TEMPERATURE;
        }
        if (text.matches("-?\\d{3,}(\\.\\d*)?")) {
            return OUT_OF_RANGE + ": " + shown;
        }
        if (text.matches("-?\\d+(\\.\\d*)?")) {
            return NOT_ONE_FRACTIONAL_DIGIT + ": " + shown;
        }
        return NOT_A_NUMBER + ": " + shown;
    }
}
