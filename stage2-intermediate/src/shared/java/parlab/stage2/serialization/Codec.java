package parlab.stage2.serialization;

import java.util.List;

/** Turns a {@link Reading} into bytes and back: {@code decode(encode(r)).equals(r)} for every reading. */
public interface Codec {
    /** The codec's name, as the benchmark's {@code codec} parameter and the child's argument spell it. */
    String name();

    byte[] encode(Reading reading);

    Reading decode(byte[] bytes);

    /** The three codecs of s2e12, baseline first. */
    static List<Codec> all() {
        return List.of(new JavaSerializationCodec(), new CompactCodec(), new FixedLayoutCodec());
    }

    /** The codec with this name; an {@link IllegalArgumentException} for an unknown one. */
    static Codec byName(String name) {
        return all().stream().filter(codec -> codec.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("unknown codec " + name + ", expected one of "
                        + all().stream().map(Codec::name).toList()));
    }
}
