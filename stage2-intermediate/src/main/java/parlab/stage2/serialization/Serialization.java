package parlab.stage2.serialization;

import java.io.ObjectOutputStream;
import java.io.Serializable;

/**
 * s2e12 · Serialization costs.
 *
 * <p>Threads share objects; processes share nothing. To hand a {@link Reading} to another process (through a
 * pipe, a socket, a file) it has to become bytes and be rebuilt on the other side, and that costs CPU time and
 * bytes on the wire. This exercise writes the same message three ways, all behind one {@link Codec}:
 * <ol>
 *   <li>{@link JavaSerializationCodec}: Java's built-in serialization ({@link ObjectOutputStream}). One line to
 *       use, works for any {@link Serializable} graph, but it writes class names and field descriptions with every
 *       message, and it happily starts serializing things that make no sense elsewhere;
 *   <li>{@link CompactCodec}: a hand encoding with {@link java.io.DataOutputStream}: only the values, in an order
 *       both sides agree on (varints optional);
 *   <li>{@link FixedLayoutCodec}: a fixed binary layout in a {@link java.nio.ByteBuffer}: every field at a fixed
 *       offset in a slot of fixed size, as a C struct or a memory-mapped table would hold it.
 * </ol>
 *
 * <p>Some things cannot cross a process boundary at all: a lambda is code living in this JVM, an
 * {@code InputStream} or a {@link Thread} is a resource held by this process. Java serialization finds out deep
 * inside {@code writeObject} with a {@code NotSerializableException} that names a class, not your field. Here, a
 * guard refuses them first, with a message a caller can act on.
 *
 * <p>The contract, which the tests pin down:
 * <ul>
 *   <li>every codec: {@code decode(encode(r)).equals(r)} for many readings, including edge values: an empty
 *       station, Unicode stations (accents, CJK, emoji), {@code Long.MIN_VALUE}/{@code MAX_VALUE},
 *       {@code Integer.MIN_VALUE}/{@code MAX_VALUE}, NaN, infinities and -0.0;
 *   <li>the same holds when the bytes travel to a child JVM ({@link EchoChild}) and back through its pipes;
 *   <li>{@link #checkSendable} (called by {@link #javaSerialize}) throws an {@link IllegalArgumentException} whose
 *       message names the offending field, for a component holding a lambda, an open resource (a stream, a
 *       thread) or anything else not {@link Serializable}; in a nested record it names the path, e.g.
 *       {@code Envelope.job.callback}. Records of plain data pass and round-trip through
 *       {@link #javaSerialize}/{@link #javaDeserialize};
 *   <li>{@link #javaSerialize} writes the Java serialization stream format (it starts with {@code AC ED});
 *       {@link #javaDeserialize} rebuilds only classes of this package and {@code java.lang}: anything else (a
 *       {@code HashMap}, say) is an {@link IllegalArgumentException};
 *   <li>the compact encoding of a typical reading takes at most 32 bytes, and at most a quarter of what Java
 *       serialization takes;
 *   <li>the fixed layout takes exactly {@link FixedLayoutCodec#RECORD_SIZE} bytes for every reading, and refuses
 *       a station too long for its slot with an {@link IllegalArgumentException} that mentions the station.
 * </ul>
 *
 * <p>Baseline experiment: {@code ./lab bench serialization} encodes and decodes the same reading with each
 * codec, against Java serialization. Expect the hand encodings to be several times faster in both directions.
 *
 * <p>Things to think about: what does Java serialization write that your compact encoding leaves out, and what
 * does leaving it out cost you when a field is added next year? Why is a fixed layout handy for a shared memory
 * table even though it wastes bytes? Why is {@code readObject} on bytes from a stranger dangerous?
 */
public final class Serialization {
    private Serialization() {
    }

    /**
     * Throws an {@link IllegalArgumentException} naming the first component of {@code message} (or of a record
     * nested in it, as a path like {@code Envelope.job.callback}) that cannot be sent to another process: a
     * lambda or method reference, an open resource (an {@link AutoCloseable} such as a stream, or a
     * {@link Thread}), or any other value that is not {@link Serializable}. Nulls and primitives are fine.
     */
    public static void checkSendable(Record message) {
        // TODO: look at every record component's value (Class.getRecordComponents(), then each accessor)
        // TODO: go down into nested records, keeping the path of field names for the message
        // TODO: refuse lambdas, open resources and anything not Serializable with an IllegalArgumentException
        throw new UnsupportedOperationException("TODO: checkSendable");
    }

    /** The Java serialization of {@code message}, after {@link #checkSendable} accepted it. */
    public static byte[] javaSerialize(Record message) {
        // TODO: check the message, then write it with an ObjectOutputStream into a byte array
        throw new UnsupportedOperationException("TODO: javaSerialize");
    }

    /** The object {@link #javaSerialize} wrote; only this package's classes and {@code java.lang} are accepted. */
    public static Object javaDeserialize(byte[] bytes) {
        // TODO: read it back with an ObjectInputStream (an ObjectInputFilter keeps strangers' classes out)
        throw new UnsupportedOperationException("TODO: javaDeserialize");
    }
}
