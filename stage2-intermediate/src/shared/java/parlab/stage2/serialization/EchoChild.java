package parlab.stage2.serialization;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;

/**
 * The child's side of s2e12's process test: {@code java ... EchoChild <codec>} reads frames ({@link Frames}) from
 * its stdin, decodes each with the named codec into a {@link Reading}, encodes it again and writes it back as a
 * frame on its stdout. It exits with 0 when its stdin ends, and with 1 (and the reason on stderr) when a frame
 * does not decode. Plumbing: nothing to change here.
 */
public final class EchoChild {
    private EchoChild() {
    }

    public static void main(String[] args) throws IOException {
        Codec codec = Codec.byName(args[0]);
        var in = new DataInputStream(new BufferedInputStream(System.in));
        var out = new DataOutputStream(new BufferedOutputStream(System.out));
        try {
            for (byte[] frame = Frames.read(in); frame != null; frame = Frames.read(in)) {
                Frames.write(out, codec.encode(codec.decode(frame)));
            }
            out.flush();
        } catch (RuntimeException e) {
            out.flush();
            System.err.println("echo child (" + codec.name() + ") failed: " + e);
            e.printStackTrace();
            System.exit(1);
        }
    }
}
