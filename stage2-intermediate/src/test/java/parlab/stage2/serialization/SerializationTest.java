package parlab.stage2.serialization;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.InputStream;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import parlab.testing.ChildJvm;

class SerializationTest {
    /** A job that carries code: it cannot leave this JVM. */
    record Job(String name, Runnable callback) implements Serializable {
    }

    /** An upload that carries an open stream: it cannot leave this process. */
    record Upload(String name, InputStream source) implements Serializable {
    }

    /** A worker handle: a thread belongs to this process. */
    record Worker(String name, Thread thread) implements Serializable {
    }

    /** Plain data, nested: fine to send. */
    record Envelope(String to, Reading reading, Job job) implements Serializable {
    }

    private static final Reading TYPICAL = new Reading(12_345, "Hamburg", 12.3, 17, true);

    static List<Reading> edgeReadings() {
        return List.of(
                TYPICAL,
                new Reading(0, "", 0.0, 0, false),
                new Reading(Long.MIN_VALUE, "Zürich", -0.0, Integer.MIN_VALUE, true),
                new Reading(Long.MAX_VALUE, "東京", Double.MAX_VALUE, Integer.MAX_VALUE, false),
                new Reading(-1, "🌡️ İzmir station ☃", Double.NaN, -1, true),
                new Reading(1L << 40, "a", Double.POSITIVE_INFINITY, 1 << 20, false),
                new Reading(-(1L << 40), "x".repeat(50), Double.NEGATIVE_INFINITY, -(1 << 20), true),
                new Reading(127, "Zero\u0000byte", Double.MIN_VALUE, 128, false));
    }

    static List<Reading> randomReadings(int count, long seed) {
        var random = new SplittableRandom(seed);
        String[] stations = {"Abha", "Ségou", "São Paulo", "Tórshavn", "Reykjavík", "Ürümqi", "Łódź", "Ōsaka"};
        List<Reading> readings = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            long id = switch (i % 3) {
                case 0 -> random.nextLong();
                case 1 -> random.nextLong(-300, 300);
                default -> i;
            };
            readings.add(new Reading(id, stations[random.nextInt(stations.length)] + (i % 7 == 0 ? "" : " " + i),
                    random.nextDouble(-99.9, 99.9), random.nextInt(), random.nextBoolean()));
        }
        return readings;
    }

    // ---------------------------------------------------------------------------------------------------------
    // Round trips

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"javaSerialization", "compact", "fixedLayout"})
    void edgeValuesSurviveARoundTrip(String name) {
        Codec codec = Codec.byName(name);
        for (Reading reading : edgeReadings()) {
            assertThat(codec.decode(codec.encode(reading)))
                    .as("%s: decode(encode(%s))", name, reading).isEqualTo(reading);
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"javaSerialization", "compact", "fixedLayout"})
    void manyReadingsSurviveARoundTrip(String name) {
        Codec codec = Codec.byName(name);
        List<Reading> readings = randomReadings(2_000, 99);
        List<Reading> decoded = new ArrayList<>();
        for (Reading reading : readings) {
            decoded.add(codec.decode(codec.encode(reading)));
        }
        assertThat(decoded).as("%s: 2,000 readings after a round trip", name).containsExactlyElementsOf(readings);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"javaSerialization", "compact", "fixedLayout"})
    void readingsSurviveATripThroughAChildJvm(String name) throws Exception {
        Codec codec = Codec.byName(name);
        List<Reading> readings = new ArrayList<>(edgeReadings());
        readings.addAll(randomReadings(300, 7));
        List<byte[]> frames = new ArrayList<>();
        for (Reading reading : readings) {
            frames.add(codec.encode(reading));
        }
        List<Reading> answers = new ArrayList<>();
        try (ChildJvm child = ChildJvm.start(EchoChild.class, List.of("-Xmx64m", "-XX:TieredStopAtLevel=1",
                "-XX:+UseSerialGC"), name);
                ExecutorService writer = Executors.newSingleThreadExecutor()) {
            Process process = child.process();
            // write on another thread: the child answers while we still send, and a full pipe would block both
            Future<?> sent = writer.submit(() -> {
                try (var out = new DataOutputStream(new BufferedOutputStream(process.getOutputStream()))) {
                    for (byte[] frame : frames) {
                        Frames.write(out, frame);
                    }
                }
                return null;
            });
            var in = new DataInputStream(new BufferedInputStream(process.getInputStream()));
            for (byte[] frame = Frames.read(in); frame != null; frame = Frames.read(in)) {
                answers.add(codec.decode(frame));
            }
            int exit = child.waitFor(Duration.ofSeconds(10));
            String stderr = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(exit).as("exit code of the echo child (%s); its stderr:%n%s", name, stderr).isZero();
            sent.get();
        }
        assertThat(answers).as("%s: %d readings sent to a child JVM and back", name, readings.size())
                .containsExactlyElementsOf(readings);
    }

    // ---------------------------------------------------------------------------------------------------------
    // Sizes

    @Test
    void theCompactEncodingIsSmall() {
        int compact = new CompactCodec().encode(TYPICAL).length;
        int java = new JavaSerializationCodec().encode(TYPICAL).length;
        assertThat(compact).as("bytes of the compact encoding of %s", TYPICAL).isPositive().isLessThanOrEqualTo(32);
        assertThat(compact * 4).as("4 x compact (%d bytes) against Java serialization (%d bytes)", compact, java)
                .isLessThanOrEqualTo(java);
    }

    @Test
    void theFixedLayoutUsesOneFixedSizeSlotPerReading() {
        var codec = new FixedLayoutCodec();
        List<Reading> readings = new ArrayList<>(edgeReadings());
        readings.addAll(randomReadings(200, 3));
        for (Reading reading : readings) {
            assertThat(codec.encode(reading)).as("fixed-layout bytes of %s", reading)
                    .hasSize(FixedLayoutCodec.RECORD_SIZE);
        }
    }

    @Test
    void theFixedLayoutRefusesAStationTooLongForItsSlot() {
        String tooLong = "ü".repeat(FixedLayoutCodec.STATION_MAX_BYTES / 2 + 1); // 2 UTF-8 bytes each
        assertThatThrownBy(() -> new FixedLayoutCodec().encode(new Reading(1, tooLong, 1.0, 1, true)))
                .as("a station of %d UTF-8 bytes in a %d-byte slot", tooLong.getBytes(StandardCharsets.UTF_8).length,
                        FixedLayoutCodec.STATION_MAX_BYTES)
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("station");
        String fits = "ü".repeat(FixedLayoutCodec.STATION_MAX_BYTES / 2);
        Reading longest = new Reading(2, fits, 2.0, 2, false);
        var codec = new FixedLayoutCodec();
        assertThat(codec.decode(codec.encode(longest))).as("a station that just fits").isEqualTo(longest);
    }

    @Test
    void javaSerializationWritesTheJavaStreamFormat() {
        byte[] bytes = Serialization.javaSerialize(TYPICAL);
        assertThat(bytes).as("the first bytes of javaSerialize: the stream magic AC ED and version 00 05"
                + " of ObjectOutputStream").startsWith((byte) 0xAC, (byte) 0xED, (byte) 0x00, (byte) 0x05);
    }

    @Test
    void javaDeserializationRefusesClassesFromElsewhere() throws Exception {
        var bytes = new java.io.ByteArrayOutputStream();
        try (var out = new java.io.ObjectOutputStream(bytes)) {
            out.writeObject(new java.util.HashMap<>(java.util.Map.of("rm", "-rf")));
        }
        assertThatThrownBy(() -> Serialization.javaDeserialize(bytes.toByteArray()))
                .as("javaDeserialize of a serialized java.util.HashMap: only this package's classes and java.lang"
                        + " may be rebuilt from a stranger's bytes (ObjectInputFilter)")
                .isInstanceOf(IllegalArgumentException.class);
    }

    // ---------------------------------------------------------------------------------------------------------
    // What cannot be sent

    @Test
    void aLambdaIsRefusedNamingTheField() {
        Job job = new Job("nightly", () -> { });
        assertThatThrownBy(() -> Serialization.javaSerialize(job))
                .as("javaSerialize of a record whose component `callback` is a lambda")
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("callback");
    }

    @Test
    void anOpenStreamIsRefusedNamingTheField() {
        Upload upload = new Upload("data.csv", new ByteArrayInputStream(new byte[] {1, 2, 3}));
        assertThatThrownBy(() -> Serialization.javaSerialize(upload))
                .as("javaSerialize of a record whose component `source` is an InputStream")
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("source");
    }

    @Test
    void aThreadIsRefusedNamingTheField() {
        Worker worker = new Worker("main", Thread.currentThread());
        assertThatThrownBy(() -> Serialization.checkSendable(worker))
                .as("checkSendable of a record whose component `thread` is a Thread")
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("thread");
    }

    @Test
    void aNestedLambdaIsRefusedNamingItsPath() {
        Envelope envelope = new Envelope("ops", TYPICAL, new Job("cleanup", System::gc));
        assertThatThrownBy(() -> Serialization.javaSerialize(envelope))
                .as("javaSerialize of an Envelope whose job's callback is a method reference: the message names the"
                        + " path, e.g. Envelope.job.callback")
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("job.callback");
    }

    @Test
    void plainDataPassesTheCheckAndRoundTrips() {
        Envelope envelope = new Envelope("ops", TYPICAL, new Job("no callback", null));
        Serialization.checkSendable(envelope);
        assertThat(Serialization.javaDeserialize(Serialization.javaSerialize(envelope)))
                .as("an envelope of plain data (and a null callback) after javaSerialize/javaDeserialize")
                .isEqualTo(envelope);
    }
}
