package parlab.stage2.sharedmem;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;

/**
 * The child's side of s2e05, run by {@link ControlChannel} in a child JVM with a small heap. Plumbing, not the
 * lesson: read it to know what the child does; the part that is yours is {@link SharedMemory#read}, which it calls.
 *
 * <p>It reads one line, {@code map <path>}, from its stdin, maps that whole file read-only, calls
 * {@link SharedMemory#read} on the mapping (which waits for the parent to publish the data), answers one line,
 * {@code checksum <n>}, on its stdout and exits with code 0. If {@code read} throws, it writes what went wrong to
 * its stderr and exits with code 1. The {@link Mode} given as its only argument makes it misbehave on purpose, so
 * that the tests can see what the parent does when a child fails.
 */
public final class ChildMain {
    /** How long the child's {@link SharedMemory#read} waits for the parent to publish the data. */
    public static final Duration READY_TIMEOUT = Duration.ofSeconds(10);

    /** How the child behaves. */
    public enum Mode {
        /** Does its job. */
        WELL_BEHAVED,
        /** Dies with exit code 3 as soon as it has been told the path, without answering. */
        CRASH,
        /** Reads the path and then never answers. */
        HANG,
        /** Does its job but answers a checksum that is off by one. */
        WRONG_CHECKSUM
    }

    private ChildMain() {
    }

    public static void main(String[] args) throws IOException, InterruptedException {
        Mode mode = Mode.valueOf(args[0]);
        var in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        String line = in.readLine();
        if (line == null || !line.startsWith("map ")) {
            System.err.println("fatal: expected 'map <path>', got " + line);
            System.exit(2);
        }
        Path path = Path.of(line.substring("map ".length()));
        switch (mode) {
            case CRASH -> {
                System.err.println("fatal: crashing on purpose after reading the path " + path);
                System.err.flush();
                Runtime.getRuntime().halt(3);
            }
            case HANG -> new CountDownLatch(1).await();
            default -> {
                // falls through to the real work
            }
        }
        long checksum;
        try (var arena = Arena.ofConfined();
                var channel = FileChannel.open(path, StandardOpenOption.READ)) {
            MemorySegment segment = channel.map(FileChannel.MapMode.READ_ONLY, 0, channel.size(), arena);
            checksum = SharedMemory.read(segment, READY_TIMEOUT);
        } catch (OutOfMemoryError e) {
            System.err.println("fatal: the child ran out of heap (" + Runtime.getRuntime().maxMemory() / (1 << 20)
                    + " MB) in SharedMemory.read: read the mapping where it is, do not copy it onto the heap");
            System.err.flush();
            Runtime.getRuntime().halt(1);
            return;
        } catch (Exception e) {
            System.err.println("fatal: SharedMemory.read threw " + e);
            System.err.flush();
            Runtime.getRuntime().halt(1);
            return;
        }
        if (mode == Mode.WRONG_CHECKSUM) {
            checksum++;
        }
        System.out.println("checksum " + checksum);
        System.out.flush();
    }
}
