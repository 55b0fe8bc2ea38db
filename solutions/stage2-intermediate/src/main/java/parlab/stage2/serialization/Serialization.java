package parlab.stage2.serialization;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputFilter;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.lang.reflect.RecordComponent;

/**
 * s2e12 · Serialization costs (reference solution).
 *
 * <p>How the reference works:
 * <ul>
 *   <li>{@link #checkSendable} walks the record's components by reflection ({@link Class#getRecordComponents()},
 *       then each accessor), building the path {@code Envelope.job.callback} as it goes down into nested records.
 *       A hidden class (every lambda and method reference is one), an {@link AutoCloseable} (streams, channels,
 *       sockets), a {@link Thread} or anything else not {@link Serializable} is refused with an
 *       {@link IllegalArgumentException} that names the path and says why it cannot leave the process;
 *   <li>{@link #javaSerialize} checks first, then writes the object with an {@link ObjectOutputStream} into a
 *       byte array; {@link #javaDeserialize} reads it back through an {@link ObjectInputFilter} that admits only
 *       this package's classes and {@code java.lang}, so a stream cannot make this process build arbitrary
 *       objects (the classic deserialization attack);
 *   <li>{@link CompactCodec}: zig-zag varints for the whole numbers, the double's 8 bytes, one byte for the
 *       boolean, and the station as a varint length plus UTF-8: about 20 bytes for a typical reading;
 *   <li>{@link FixedLayoutCodec}: every field at a fixed offset in a {@link FixedLayoutCodec#RECORD_SIZE}-byte
 *       slot, the station in a length-prefixed area of fixed size.
 * </ul>
 *
 * <p>Other ways: the compact codec could use {@code DataOutputStream.writeUTF}, which is simpler but caps a
 * string at 65,535 bytes and writes modified UTF-8 (6 bytes per emoji). The fixed layout could live in a
 * {@code MemorySegment} with a {@code StructLayout} and {@code VarHandle}s, which also works off-heap and over
 * a memory-mapped file shared by two processes (see notes/shared-memory.md). Libraries such as Protocol Buffers
 * or Kryo generate the compact encoding from a schema; they win on evolution (fields added later), not on speed.
 */
public final class Serialization {
    private static final ObjectInputFilter ONLY_OUR_RECORDS =
            ObjectInputFilter.Config.createFilter("parlab.stage2.serialization.*;java.lang.*;!*");

    private Serialization() {
    }

    /**
     * Throws an {@link IllegalArgumentException} naming the first component of {@code message} (or of a record
     * nested in it, as a path like {@code Envelope.job.callback}) that cannot be sent to another process: a
     * lambda or method reference, an open resource (an {@link AutoCloseable} such as a stream, or a
     * {@link Thread}), or any other value that is not {@link Serializable}. Nulls and primitives are fine.
     */
    public static void checkSendable(Record message) {
        check(message, message.getClass().getSimpleName());
    }

    private static void check(Record record, String path) {
        for (RecordComponent component : record.getClass().getRecordComponents()) {
            String field = path + "." + component.getName();
            Object value;
            try {
                value = component.getAccessor().invoke(record);
            } catch (ReflectiveOperationException e) {
                throw new IllegalArgumentException("cannot read " + field + " to check it", e);
            }
            if (value == null || component.getType().isPrimitive()) {
                continue;
            }
            if (value instanceof Record nested) {
                check(nested, field);
            } else if (value.getClass().isHidden()) {
                throw new IllegalArgumentException(field + " holds a lambda (" + value.getClass().getName()
                        + "): code cannot be sent to another process; send data that says what to do");
            } else if (value instanceof AutoCloseable || value instanceof Thread) {
                throw new IllegalArgumentException(field + " holds an open resource (" + value.getClass().getName()
                        + "): it lives in this process only; send what it contains or where to find it");
            } else if (!(value instanceof Serializable)) {
                throw new IllegalArgumentException(field + " holds a " + value.getClass().getName()
                        + ", which is not Serializable");
            }
        }
    }

    /** The Java serialization of {@code message}, after {@link #checkSendable} accepted it. */
    public static byte[] javaSerialize(Record message) {
        checkSendable(message);
        var bytes = new ByteArrayOutputStream(256);
        try (var out = new ObjectOutputStream(bytes)) {
            out.writeObject(message);
        } catch (IOException e) {
            throw new UncheckedIOException("could not serialize " + message.getClass().getName(), e);
        }
        return bytes.toByteArray();
    }

    /** The object {@link #javaSerialize} wrote; only this package's classes and {@code java.lang} are accepted. */
    public static Object javaDeserialize(byte[] bytes) {
        try (var in = new ObjectInputStream(new ByteArrayInputStream(bytes))) {
            in.setObjectInputFilter(ONLY_OUR_RECORDS);
            return in.readObject();
        } catch (IOException | ClassNotFoundException e) {
            throw new IllegalArgumentException("not a serialized message of this package: " + e, e);
        }
    }
}
