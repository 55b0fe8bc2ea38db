package parlab.stage1.files;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

/**
 * Seeded generator of 1BRC files ({@code <station>;<temperature>\n}) for the tests and the benchmark: the same seed
 * always gives the same bytes. Station names are UTF-8 with 1 to 100 bytes, many with multi-byte characters
 * (accents, Greek, Cyrillic, CJK, emoji), some with spaces, dots and other punctuation, and a few of exactly 100
 * bytes.
 */
final class Measurements {
    /** Real names with multi-byte characters, so that blind cuts fall inside characters. */
    static final List<String> REAL = List.of("Abéché", "Ségou", "Zürich", "São Paulo", "Kraków", "İzmir", "Tōkyō",
            "Αθήνα", "Москва", "北京", "東京都", "القاهرة", "Reykjavík", "Malmö", "Düsseldorf", "Ōsaka", "Łódź",
            "Hà Nội", "Bogotá", "Nouakchott", "St. John's", "Petropavlovsk-Kamchatsky", "Xi'an", "Ürümqi",
            "La Ceiba", "Jyväskylä", "Tromsø", "Plzeň", "Gdańsk", "Curaçao", "Cañón", "Ağrı", "Ho Chi Minh City",
            "🌧 Rainy Town", "Kyiv", "Chișinău", "Vólos", "a", "Z", ".", "-", "=", "{x}", "a, b");

    private static final List<String> SYLLABLES = List.of("ka", "ré", "mo", "Ø", "ßi", "до", "ль", "京", "ma",
            "ñu", "th", "ö", " ", "-", "é", "ya", "Ω", "ğa", "ik", "🌊", "lo", "ș", "ew", "an");

    private Measurements() {
    }

    /** {@code count} distinct station names (the real ones first), each of 1 to 100 UTF-8 bytes. */
    static List<String> stations(Random random, int count) {
        Set<String> names = new LinkedHashSet<>(REAL.subList(0, Math.min(count, REAL.size())));
        while (names.size() < count) {
            StringBuilder name = new StringBuilder();
            int syllables = names.size() % 50 == 0 ? 100 : 1 + random.nextInt(8); // now and then a 100-byte name
            for (int s = 0; s < syllables; s++) {
                String next = SYLLABLES.get(random.nextInt(SYLLABLES.size()));
                if (utf8Length(name) + utf8Length(next) > 100) {
                    break;
                }
                name.append(next);
            }
            while (names.size() % 50 == 0 && utf8Length(name) < 100) {
                name.append('x');
            }
            names.add(name.toString());
        }
        return new ArrayList<>(names);
    }

    /** One line: {@code name;-12.3\n}, with a temperature in [-99.9, 99.9]. */
    static String line(String station, int tenths) {
        int abs = Math.abs(tenths);
        return station + ";" + (tenths < 0 ? "-" : "") + abs / 10 + "." + abs % 10 + "\n";
    }

    /** Writes {@code lines} lines over {@code stationCount} stations; each station's temperatures are centred. */
    static void write(Path file, long seed, long lines, int stationCount) throws IOException {
        Random random = new Random(seed);
        List<String> stations = stations(random, stationCount);
        int[] centres = random.ints(stationCount, -300, 400).toArray();
        byte[][] prefixes = new byte[stationCount][];
        for (int s = 0; s < stationCount; s++) {
            prefixes[s] = (stations.get(s) + ";").getBytes(StandardCharsets.UTF_8);
        }
        byte[] temperature = new byte[6];
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(file), 1 << 16)) {
            for (long i = 0; i < lines; i++) {
                int s = random.nextInt(stationCount);
                int tenths = Math.clamp(centres[s] + (int) Math.round(random.nextGaussian() * 100), -999, 999);
                out.write(prefixes[s]);
                out.write(temperature, 0, format(tenths, temperature));
            }
        }
    }

    /** Writes {@code tenths} as {@code -12.3\n} into {@code into}; returns the number of bytes. */
    private static int format(int tenths, byte[] into) {
        int n = 0;
        if (tenths < 0) {
            into[n++] = '-';
            tenths = -tenths;
        }
        if (tenths >= 100) {
            into[n++] = (byte) ('0' + tenths / 100);
        }
        into[n++] = (byte) ('0' + tenths / 10 % 10);
        into[n++] = '.';
        into[n++] = (byte) ('0' + tenths % 10);
        into[n++] = '\n';
        return n;
    }

    private static int utf8Length(CharSequence text) {
        return text.toString().getBytes(StandardCharsets.UTF_8).length;
    }
}
