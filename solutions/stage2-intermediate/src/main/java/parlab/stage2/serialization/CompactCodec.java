package parlab.stage2.serialization;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/** (b) A compact hand encoding with {@link DataOutputStream}: only the bytes the values need, no names, no types. */
public final class CompactCodec implements Codec {
    @Override
    public String name() {
        return "compact";
    }

    @Override
    public byte[] encode(Reading reading) {
        var bytes = new ByteArrayOutputStream(32);
        try (var out = new DataOutputStream(bytes)) {
            writeVarLong(out, zigZag(reading.id()));
            byte[] station = reading.station().getBytes(StandardCharsets.UTF_8);
            writeVarLong(out, station.length);
            out.write(station);
            out.writeDouble(reading.temperature());
            writeVarLong(out, zigZag(reading.samples()));
            out.writeBoolean(reading.calibrated());
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a ByteArrayOutputStream never fails
        }
        return bytes.toByteArray();
    }

    @Override
    public Reading decode(byte[] bytes) {
        try (var in = new DataInputStream(new ByteArrayInputStream(bytes))) {
            long id = unZigZag(readVarLong(in));
            byte[] station = new byte[Math.toIntExact(readVarLong(in))];
            in.readFully(station);
            double temperature = in.readDouble();
            int samples = (int) unZigZag(readVarLong(in));
            boolean calibrated = in.readBoolean();
            return new Reading(id, new String(station, StandardCharsets.UTF_8), temperature, samples, calibrated);
        } catch (IOException | ArithmeticException e) {
            throw new IllegalArgumentException("not a compact reading: " + e, e);
        }
    }

    /** Small magnitudes, positive or negative, become small unsigned numbers: 0, -1, 1, -2 → 0, 1, 2, 3. */
    private static long zigZag(long value) {
        return (value << 1) ^ (value >> 63);
    }

    private static long unZigZag(long value) {
        return (value >>> 1) ^ -(value & 1);
    }

    /** Seven bits per byte, low bits first; the high bit says "more follows". */
    private static void writeVarLong(DataOutputStream out, long value) throws IOException {
        while ((value & ~0x7FL) != 0) {
            out.writeByte((int) (value & 0x7F) | 0x80);
            value >>>= 7;
        }
        out.writeByte((int) value);
    }

    private static long readVarLong(DataInputStream in) throws IOException {
        long value = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            int b = in.readUnsignedByte();
            value |= (long) (b & 0x7F) << shift;
            if ((b & 0x80) == 0) {
                return value;
            }
        }
        throw new IOException("varint longer than 10 bytes");
    }
}
