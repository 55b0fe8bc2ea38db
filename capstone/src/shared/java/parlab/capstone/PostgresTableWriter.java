package parlab.capstone;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import org.postgresql.copy.CopyIn;
import org.postgresql.copy.CopyManager;

/**
 * {@link TableWriter} for PostgreSQL: rows are gathered in COPY's text format (tab between columns, a line per
 * row, {@code \N} for NULL, backslash escapes) and {@link #flush()} sends them in one {@code COPY table FROM STDIN},
 * a single round trip for the whole batch. Nothing reaches the server before the flush, so {@link #close()} just
 * drops what was not flushed.
 *
 * <p>PostgreSQL's text types cannot hold the character U+0000; a string that has one (a raw bad line) is stored
 * with U+FFFD in its place.
 */
final class PostgresTableWriter implements TableWriter {
    private final CopyManager copy;
    private final String sql;
    private final StringBuilder rows = new StringBuilder(1 << 12);
    private boolean firstColumn;

    PostgresTableWriter(CopyManager copy, String table) {
        this.copy = copy;
        this.sql = "COPY " + table + " FROM STDIN";
    }

    @Override
    public TableWriter beginRow() {
        firstColumn = true;
        return this;
    }

    private void column() {
        if (!firstColumn) {
            rows.append('\t');
        }
        firstColumn = false;
    }

    @Override
    public TableWriter append(int value) {
        column();
        rows.append(value);
        return this;
    }

    @Override
    public TableWriter append(long value) {
        column();
        rows.append(value);
        return this;
    }

    @Override
    public TableWriter append(String value) {
        column();
        if (value == null) {
            rows.append("\\N");
            return this;
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '\\' -> rows.append("\\\\");
                case '\t' -> rows.append("\\t");
                case '\n' -> rows.append("\\n");
                case '\r' -> rows.append("\\r");
                case '\0' -> rows.append('\uFFFD');
                default -> rows.append(c);
            }
        }
        return this;
    }

    @Override
    public TableWriter append(BigDecimal value) {
        column();
        rows.append(value == null ? "\\N" : value.toPlainString());
        return this;
    }

    @Override
    public TableWriter endRow() {
        rows.append('\n');
        return this;
    }

    @Override
    public void flush() throws SQLException {
        if (rows.isEmpty()) {
            return;
        }
        byte[] bytes = rows.toString().getBytes(StandardCharsets.UTF_8); // pgjdbc's client encoding is UTF8
        rows.setLength(0);
        CopyIn in = copy.copyIn(sql);
        try {
            in.writeToCopy(bytes, 0, bytes.length);
            in.endCopy();
        } finally {
            if (in.isActive()) {
                in.cancelCopy();
            }
        }
    }

    /** Drops the rows not flushed: they never left this process. */
    @Override
    public void close() {
        rows.setLength(0);
    }
}
