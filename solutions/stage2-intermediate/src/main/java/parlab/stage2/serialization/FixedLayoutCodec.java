package parlab.stage2.serialization;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

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
        byte[] station = reading.station().getBytes(StandardCharsets.UTF_8);
        if (station.length > STATION_MAX_BYTES) {
            throw new IllegalArgumentException("station name of " + station.length + " UTF-8 bytes does not fit"
                    + " the fixed layout's " + STATION_MAX_BYTES + "-byte station slot");
        }
        ByteBuffer slot = ByteBuffer.allocate(RECORD_SIZE);
        slot.putLong(ID, reading.id())
                .putDouble(TEMPERATURE, reading.temperature())
                .putInt(SAMPLES, reading.samples())
                .put(CALIBRATED, (byte) (reading.calibrated() ? 1 : 0))
                .putShort(STATION_LENGTH, (short) station.length)
                .put(STATION, station);
        return slot.array();
    }

    @Override
    public Reading decode(byte[] bytes) {
        if (bytes.length != RECORD_SIZE) {
            throw new IllegalArgumentException("a fixed-layout reading is " + RECORD_SIZE + " bytes, got "
                    + bytes.length);
        }
        ByteBuffer slot = ByteBuffer.wrap(bytes);
        int length = slot.getShort(STATION_LENGTH);
        if (length < 0 || length > STATION_MAX_BYTES) {
            throw new IllegalArgumentException("bad station length " + length);
        }
        String station = new String(bytes, STATION, length, StandardCharsets.UTF_8);
        return new Reading(slot.getLong(ID), station, slot.getDouble(TEMPERATURE), slot.getInt(SAMPLES),
                slot.get(CALIBRATED) != 0);
    }
}
