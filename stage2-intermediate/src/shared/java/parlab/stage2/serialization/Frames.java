package parlab.stage2.serialization;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;

/**
 * Length-prefixed frames on a byte stream (a pipe, a socket): a 4-byte big-endian length, then that many bytes.
 * A receiver cannot tell where one encoded record ends and the next begins without it. Plumbing.
 */
public final class Frames {
    /** The largest frame either side accepts: a corrupt length must not make the reader allocate gigabytes. */
    public static final int MAX_FRAME = 1 << 20;

    private Frames() {
    }

    public static void write(DataOutputStream out, byte[] frame) throws IOException {
        out.writeInt(frame.length);
        out.write(frame);
    }

    /** The next frame, or {@code null} if the stream ended cleanly before it. */
    public static byte[] read(DataInputStream in) throws IOException {
        int length;
        try {
            length = in.readInt();
        } catch (EOFException end) {
            return null;
        }
        if (length < 0 || length > MAX_FRAME) {
            throw new IOException("bad frame length " + length);
        }
        byte[] frame = new byte[length];
        in.readFully(frame);
        return frame;
    }
}
