package parlab.onebrc;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * A seeded set of weather stations: unique names of 1 to 100 UTF-8 bytes (some with accents, some in other scripts,
 * some with spaces, dots and apostrophes, as in the challenge's own list) and a mean temperature each.
 */
public final class Stations {
    /** The challenge's limits: at most 10,000 distinct stations, names of at most 100 bytes. */
    public static final int MAX_STATIONS = 10_000;
    public static final int MAX_NAME_BYTES = 100;

    private static final String[] SYLLABLES = {"ba", "ko", "ri", "san", "ta", "mu", "el", "dor", "vik", "lan", "po",
        "zé", "mün", "ño", "ça", "ør", "ł", "ő", "an", "ber", "gu", "is", "ya", "kha", "ville", "burg", "ton", "ssa"};
    private static final String[] OTHER_SCRIPTS = {"東京", "大阪", "Αθήνα", "Москва", "القاهرة", "서울", "मुंबई",
        "ירושלים", "Київ", "北京", "Ürümqi", "Reykjavík"};

    private final List<String> names;
    private final List<byte[]> utf8;
    private final int[] meanTenths;

    private Stations(List<String> names, int[] meanTenths) {
        this.names = List.copyOf(names);
        this.utf8 = names.stream().map(n -> n.getBytes(StandardCharsets.UTF_8)).toList();
        this.meanTenths = meanTenths;
    }

    /** {@code count} stations drawn from {@code seed}: the same seed and count give the same stations. */
    public static Stations generate(int count, long seed) {
        if (count < 1 || count > MAX_STATIONS) {
            throw new IllegalArgumentException("stations must be between 1 and " + MAX_STATIONS + ", got " + count);
        }
        SplittableRandom random = new SplittableRandom(seed ^ 0x5DEECE66DL);
        Set<String> seen = new HashSet<>();
        List<String> names = new ArrayList<>(count);
        int[] means = new int[count];
        while (names.size() < count) {
            String name = name(random);
            if (seen.add(name)) {
                means[names.size()] = random.nextInt(-300, 351); // -30.0 .. 35.0
                names.add(name);
            }
        }
        return new Stations(names, means);
    }

    private static String name(SplittableRandom random) {
        int kind = random.nextInt(100);
        StringBuilder name = new StringBuilder();
        if (kind < 4) {
            name.append(OTHER_SCRIPTS[random.nextInt(OTHER_SCRIPTS.length)]);
        }
        int words = kind < 85 ? 1 : kind < 97 ? 2 : 3; // names about as long as the challenge's
        for (int w = 0; w < words; w++) {
            if (!name.isEmpty()) {
                name.append(random.nextInt(10) == 0 ? "-" : " ");
            }
            int syllables = random.nextInt(1, 4);
            StringBuilder word = new StringBuilder();
            for (int s = 0; s < syllables; s++) {
                word.append(SYLLABLES[random.nextInt(SYLLABLES.length)]);
            }
            name.append(Character.toUpperCase(word.charAt(0))).append(word, 1, word.length());
        }
        if (kind == 99 && random.nextInt(5) == 0) { // now and then a long one, up to the 100-byte limit
            while (name.toString().getBytes(StandardCharsets.UTF_8).length < 90) {
                name.append(" ").append(SYLLABLES[random.nextInt(SYLLABLES.length)]);
            }
        } else if (kind == 98) {
            name.append(" St. ").append(random.nextInt(1, 20)).append("'s");
        }
        String result = name.toString();
        while (result.getBytes(StandardCharsets.UTF_8).length > MAX_NAME_BYTES) {
            result = result.substring(0, result.length() - 1);
        }
        return result.strip();
    }

    public int size() {
        return names.size();
    }

    public String name(int station) {
        return names.get(station);
    }

    public byte[] utf8(int station) {
        return utf8.get(station);
    }

    public int meanTenths(int station) {
        return meanTenths[station];
    }
}
