package parlab.stage2.serialization;

import java.io.DataOutputStream;

/** (b) A compact hand encoding with {@link DataOutputStream}: only the bytes the values need, no names, no types. */
public final class CompactCodec implements Codec {
    @Override
    public String name() {
        return "compact";
    }

    @Override
    public byte[] encode(Reading reading) {
        // TODO: write the five fields with a DataOutputStream over a ByteArrayOutputStream, in a fixed order;
        //       the station's bytes need their length in front (varints for the whole numbers are optional)
        throw new UnsupportedOperationException("TODO: CompactCodec.encode");
    }

    @Override
    public Reading decode(byte[] bytes) {
        // TODO: read the fields back in the same order with a DataInputStream
        throw new UnsupportedOperationException("TODO: CompactCodec.decode");
    }
}
