package parlab.stage2.sharedmem;

import java.io.BufferedReader;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * s2e05 · What does it cost to hand an array to another process: through its stdin pipe, or through shared memory?
 *
 * <p>One long-lived child JVM checksums {@code size} bytes of {@code long}s per operation and answers one line.
 * With {@code transport=pipe} (the baseline of {@code ./lab bench shared-memory}) the parent writes the bytes into
 * the child's stdin and the child reads them in 64 KB pieces: two copies through the kernel, about one system
 * call per 64 KB on each side, and a context switch whenever the pipe buffer fills. With {@code transport=shared}
 * the parent writes the array into a mapping in {@code /dev/shm} with {@link SharedMemory#write} and sends
 * {@code go}; the child, which mapped the same file once, checksums it in place with {@link SharedMemory#read}.
 *
 * <p>Both pay for the parent's copy of the array and the child's pass over it (and the shared case also for the
 * header's checksum, which {@link SharedMemory#write} computes); only the pipe pays for the two kernel copies and
 * the hand-offs between the processes, a few thousand of them at 64 MB. On 2 cores (a busy machine) the mapping
 * was about 6x faster at 1 MB; at 64 MB the passes over the data that both sides make weigh as much as the pipe's
 * copies, and the gap shrinks towards 1-3x, with a wide spread when other processes compete for memory bandwidth.
 * A producer that wrote its data straight into the mapping, instead of into a {@code long[]} first, would save
 * the parent's copy as well.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class SharedMemoryBenchmark {
    private static final Duration PATIENT = Duration.ofSeconds(30);

    @Param({"1048576", "67108864"})
    public int size;

    @Param({"pipe", "shared"})
    public String transport;

    private long[] data;
    private byte[] bytes;
    private Process child;
    private OutputStream toChild;
    private BufferedReader fromChild;
    private Path file;
    private Arena arena;
    private MemorySegment segment;

    @Setup(Level.Trial)
    public void start() throws IOException {
        data = new long[size / Long.BYTES];
        for (int i = 0; i < data.length; i++) {
            data[i] = (i + 1) * 0x9E3779B97F4A7C15L;
        }
        String where = "-";
        if (transport.equals("shared")) {
            file = Files.createTempFile(SharedMemory.directory(), SharedMemory.FILE_PREFIX, ".bin");
            arena = Arena.ofShared();
            try (var channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
                segment = channel.map(FileChannel.MapMode.READ_WRITE, 0, SharedMemory.bytesFor(data.length), arena);
            }
            where = file.toString();
        } else {
            bytes = new byte[size];
            ByteBuffer.wrap(bytes).order(ByteOrder.nativeOrder()).asLongBuffer().put(data);
        }
        child = new ProcessBuilder(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx64m", "-cp", System.getProperty("java.class.path"), Child.class.getName(), transport,
                Integer.toString(size), where)).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        toChild = child.getOutputStream();
        fromChild = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
    }

    @TearDown(Level.Trial)
    public void stop() throws IOException, InterruptedException {
        toChild.close();
        if (!child.waitFor(5, TimeUnit.SECONDS)) {
            child.destroyForcibly().waitFor();
        }
        if (arena != null) {
            arena.close();
            Files.deleteIfExists(file);
        }
    }

    @Benchmark
    public long send() throws IOException {
        if (segment != null) {
            segment.set(ValueLayout.JAVA_INT, SharedMemory.READY_OFFSET, 0); // the child waits for "go" first
            SharedMemory.write(segment, data);
            toChild.write("go\n".getBytes(StandardCharsets.UTF_8));
        } else {
            toChild.write(bytes);
        }
        toChild.flush();
        String answer = fromChild.readLine();
        if (answer == null) {
            throw new IOException("the benchmark's child died");
        }
        return Long.parseLong(answer);
    }

    /** The benchmark's child: checksums what arrives, through the pipe or the mapping, and answers each time. */
    public static final class Child {
        private Child() {
        }

        public static void main(String[] args) throws Exception {
            String transport = args[0];
            int size = Integer.parseInt(args[1]);
            var out = System.out;
            if (transport.equals("shared")) {
                var in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
                try (var arena = Arena.ofConfined();
                        var channel = FileChannel.open(Path.of(args[2]), StandardOpenOption.READ)) {
                    MemorySegment segment = channel.map(FileChannel.MapMode.READ_ONLY, 0, channel.size(), arena);
                    while (in.readLine() != null) {
                        out.println(SharedMemory.read(segment, PATIENT));
                        out.flush();
                    }
                }
            } else {
                var in = new DataInputStream(System.in);
                byte[] chunk = new byte[64 * 1024];
                ByteBuffer view = ByteBuffer.wrap(chunk).order(ByteOrder.nativeOrder());
                while (true) {
                    long checksum = 1;
                    for (int done = 0; done < size; done += chunk.length) {
                        int n = Math.min(chunk.length, size - done);
                        try {
                            in.readFully(chunk, 0, n);
                        } catch (java.io.EOFException end) {
                            return;
                        }
                        for (int i = 0; i < n; i += Long.BYTES) {
                            checksum = SharedMemory.mix(checksum, view.getLong(i));
                        }
                    }
                    out.println(checksum);
                    out.flush();
                }
            }
        }
    }
}
