package parlab.stage2.profiling;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.SplittableRandom;

/**
 * A search query, compared the way people type them: case and runs of spaces do not matter, so
 * {@code "Java  Threads"} and {@code " java threads"} are the same query.
 *
 * <p>Like many real keys (records over lists, case-insensitive names), a query is not cheap to hash: {@link #hashCode}
 * and {@link #equals} normalise the text again on every call. That is harmless on its own and costly under one
 * lock, where every other thread waits while one thread hashes.
 *
 * @param text the query as typed
 */
public record Query(String text) {

    public Query {
        Objects.requireNonNull(text, "text");
    }

    /** {@code n} different queries of a few words each, the same ones for the same {@code seed}. */
    public static List<Query> sample(int n, long seed) {
        String[] words = {"parallel", "Java", "threads", "lock", "contention", "monitor", "flight", "recorder",
            "virtual", "pool", "queue", "latch", "fork", "join", "stream", "atomic"};
        SplittableRandom random = new SplittableRandom(seed);
        List<Query> queries = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            StringBuilder text = new StringBuilder();
            int length = 6 + random.nextInt(6);
            for (int w = 0; w < length; w++) {
                text.append(words[random.nextInt(words.length)]).append(random.nextBoolean() ? " " : "   ");
            }
            queries.add(new Query(text.append("#").append(i).toString()));
        }
        return List.copyOf(queries);
    }

    @Override
    public boolean equals(Object other) {
        if (!(other instanceof Query that)) {
            return false;
        }
        int i = skipSpaces(text, 0);
        int j = skipSpaces(that.text, 0);
        while (i < text.length() && j < that.text.length()) {
            char a = text.charAt(i);
            char b = that.text.charAt(j);
            if (Character.isWhitespace(a) && Character.isWhitespace(b)) {
                i = skipSpaces(text, i);
                j = skipSpaces(that.text, j);
                if ((i == text.length()) != (j == that.text.length())) {
                    return false;
                }
                continue;
            }
            if (Character.toLowerCase(a) != Character.toLowerCase(b)) {
                return false;
            }
            i++;
            j++;
        }
        return skipSpaces(text, i) == text.length() && skipSpaces(that.text, j) == that.text.length();
    }

    @Override
    public int hashCode() {
        int hash = 0;
        boolean space = false;
        for (int i = skipSpaces(text, 0); i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isWhitespace(c)) {
                space = true;
                continue;
            }
            if (space) {
                hash = 31 * hash + ' ';
                space = false;
            }
            hash = 31 * hash + Character.toLowerCase(c);
        }
        return hash;
    }

    private static int skipSpaces(String s, int from) {
        int i = from;
        while (i < s.length() && Character.isWhitespace(s.charAt(i))) {
            i++;
        }
        return i;
    }
}
