package parlab.stage2.serialization;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * s2e12 · What does turning a record into bytes cost?
 *
 * <p>Encodes and decodes one typical {@link Reading} with each codec; {@code ./lab bench serialization} prints the
 * speedup over Java serialization for each direction. The encoded sizes are printed once per codec at set-up
 * (160 bytes for Java serialization, 21 for the compact encoding, {@value FixedLayoutCodec#RECORD_SIZE}
 * for the fixed layout). Expect the hand encodings to be tens of times faster (up to a hundred or more) in
 * both directions, tens of nanoseconds against microseconds: Java serialization sets up a stream, writes and
 * parses a class description every time, and decoding goes through reflection and the input filter. Single-threaded on purpose: this is the per-message cost a process pays on every send.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class SerializationBenchmark {
    @Param({"javaSerialization", "compact", "fixedLayout"})
    public String codec;

    private Codec chosen;
    private Reading reading;
    private byte[] encoded;

    @Setup
    public void prepare() {
        chosen = Codec.byName(codec);
        reading = new Reading(12_345, "Hamburg", 12.3, 17, true);
        encoded = chosen.encode(reading);
        System.out.printf("%n%s: %d bytes per reading%n", codec, encoded.length);
    }

    @Benchmark
    public byte[] encode() {
        return chosen.encode(reading);
    }

    @Benchmark
    public Reading decode() {
        return chosen.decode(encoded);
    }
}
