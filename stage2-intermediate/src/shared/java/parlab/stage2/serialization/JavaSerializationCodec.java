package parlab.stage2.serialization;

/** (a) Java's own serialization: {@link Serialization#javaSerialize} and {@link Serialization#javaDeserialize}. */
public final class JavaSerializationCodec implements Codec {
    @Override
    public String name() {
        return "javaSerialization";
    }

    @Override
    public byte[] encode(Reading reading) {
        return Serialization.javaSerialize(reading);
    }

    @Override
    public Reading decode(byte[] bytes) {
        Object message = Serialization.javaDeserialize(bytes);
        if (message instanceof Reading reading) {
            return reading;
        }
        throw new IllegalArgumentException("expected a Reading, got a " + message.getClass().getName());
    }
}
