package parlab.capstone;

import java.util.Map;
import java.util.TreeMap;

/** The One Billion Row Challenge's output: {@code {name=min/mean/max, ...}}, stations in {@code String} order. */
public final class ResultFormat {
    private ResultFormat() {
    }

    public static String format(Map<String, StationStats> results) {
        return new TreeMap<>(results).toString();
    }
}
