package parlab.stage2.serialization;

import java.nio.ByteBuffer;

/**
 * (c) A fixed binary layout: every reading takes exactly {@link #RECORD_SIZE} bytes, every field sits at a fixed
 * offset (big-endian, as {@link ByteBuffer} writes by default), so record {@code i} of a batch starts at
 * {@code i * RECORD_SIZE} and one field can be read without decoding the others.
 */
public final class FixedLayoutCodec implements Codec {
    /** The layout, in bytes from the start of the slot. */
    public static final int ID = 0;                  // long
    public static final int TEMPERATURE = 8;         // double
    public static final int SAMPLES = 16;            // int
    public static final int CALIBRATED = 20;         // byte: 1 or 0
    public static final int STATION_LENGTH = 21;     // short: how many of the station bytes are used
    public static final int STATION = 23;            // UTF-8, padded with zeros
    public static final int RECORD_SIZE = 96;
    /** The longest station name, in UTF-8 bytes, that fits in its slot. */
    public static final int STATION_MAX_BYTES = RECORD_SIZE - STATION;

    @Override
    public String name() {
        return "fixedLayout";
    }

    @Override
    public byte[] encode(Reading reading) {
        // TODO: refuse a station whose UTF-8 bytes do not fit STATION_MAX_BYTES (say so in the message)
        // TODO: put every field at its offset in a ByteBuffer of RECORD_SIZE bytes (absolute puts)
        throw new UnsupportedOperationException("TODO: FixedLayoutCodec.encode");
    }

    @Override
    public Reading decode(byte[] bytes) {
        // TODO: check the size, then read every field from its offset
        throw new UnsupportedOperationException("TODO: FixedLayoutCodec.decode");
    }
}
