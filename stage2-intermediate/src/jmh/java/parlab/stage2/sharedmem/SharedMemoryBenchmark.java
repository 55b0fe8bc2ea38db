package parlab.stage2.sharedmem;

import java.io.BufferedReader;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.LongUnaryOperator;
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
 * s2e05 · What does it cost to hand {@code size} bytes of values that a producer already has to another process:
 * copied through the child's stdin pipe, or left where they are, in shared memory?
 *
 * <p>The producer makes its {@code size / 8} {@code long}s once, before the measurement ({@link #value}): on its heap
 * for {@code transport=pipe} (the baseline of {@code ./lab bench shared-memory}), straight into a mapping in
 * {@code /dev/shm} with {@link SharedMemory#write(MemorySegment, long, LongUnaryOperator)} for
 * {@code transport=shared}. One operation hands all of them over to one long-lived child JVM, which sums them and
 * answers one line, which the producer checks:
 * <ul>
 *   <li>{@code pipe}: the producer copies the values into a 64 KB buffer and writes it to the child's stdin, buffer
 *       after buffer, and the child reads them in 64 KB pieces: every byte is copied into the kernel's pipe buffer
 *       and out again (and, by {@code FileOutputStream} and {@code FileInputStream}, through a native buffer on each
 *       side), and the 64 KB pipe makes the two processes hand over to each other about once per 64 KB, a thousand
 *       times at 64 MB;</li>
 *   <li>{@code shared}: the producer sends {@code go}; the child, which mapped the same file once (and checked it
 *       once with {@link SharedMemory#read}), sums the values where they are. Only two short lines cross the
 *       pipe.</li>
 * </ul>
 * The sum (four independent accumulators, about as fast as memory delivers the values) is the same work in both
 * children and the floor under both: what the pipe adds on top is its copies and hand-offs.
 *
 * <p>Each iteration also prints the CPU time both processes spent per operation, which, unlike the wall time,
 * hardly moves when other processes compete for the cores.
 *
 * <p>What to expect, measured on the workbook's 2-core machine ({@code ./lab bench shared-memory --solution}): at
 * 1 MB, shared memory about 8x faster (0.13 ms against 1.1 ms: the hand-off is two short lines, the sum runs in
 * cache); at 64 MB about 3.5x (9 ms against 33 ms). At 64 MB the values no longer fit in the caches, and reading
 * them from memory, about 7 GB/s here, is what the shared child spends its 9 ms on: the floor under both
 * transports, which zero copy cannot remove. What it removes is the pipe's part: about 24 ms of copying and
 * hand-offs per 64 MB, 30 ms of CPU in each process. A consumer that reads only part of the data (an index, a
 * model's weights looked up here and there) gains far more, since a pipe has to copy all of it every time.
 * Producing the values is the same work wherever they go, so it is left out of the operation.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class SharedMemoryBenchmark {
    private static final Duration PATIENT = Duration.ofSeconds(30);
    private static final int CHUNK_BYTES = 64 * 1024;
    private static final byte[] GO = "go\n".getBytes(StandardCharsets.UTF_8);
    private static final LongUnaryOperator VALUES = SharedMemoryBenchmark::value;

    @Param({"1048576", "67108864"})
    public int size;

    @Param({"pipe", "shared"})
    public String transport;

    private long length;
    private long[] data;
    private long expected;
    private byte[] chunk;
    private ByteBuffer chunkView;
    private Process child;
    private OutputStream toChild;
    private BufferedReader fromChild;
    private Path file;
    private Arena arena;
    private MemorySegment segment;
    private long operations;
    private long parentCpuAtStart;
    private long childCpuAtStart;

    /** The producer's values: element {@code i} of every transfer. */
    static long value(long i) {
        return (i + 1) * 0x9E3779B97F4A7C15L;
    }

    @Setup(Level.Trial)
    public void start() throws IOException {
        length = size / Long.BYTES;
        String where = "-";
        if (transport.equals("shared")) {
            file = Files.createTempFile(SharedMemory.directory(), "parlab-bench-shm-", ".bin");
            arena = Arena.ofShared();
            try (var channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
                segment = channel.map(FileChannel.MapMode.READ_WRITE, 0, SharedMemory.bytesFor(length), arena);
            }
            SharedMemory.write(segment, length, VALUES); // published before the child learns the path
            where = file.toString();
        } else {
            data = new long[Math.toIntExact(length)];
            Arrays.setAll(data, i -> value(i));
            chunk = new byte[CHUNK_BYTES];
            chunkView = ByteBuffer.wrap(chunk).order(ByteOrder.nativeOrder());
        }
        long sum = 0;
        for (long i = 0; i < length; i++) {
            sum += value(i);
        }
        expected = sum;
        child = new ProcessBuilder(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx64m", "-cp", System.getProperty("java.class.path"), Child.class.getName(), transport,
                Integer.toString(size), where)).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        toChild = child.getOutputStream();
        fromChild = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
    }

    @Setup(Level.Iteration)
    public void startCounting() {
        operations = 0;
        parentCpuAtStart = parentCpuNanos();
        childCpuAtStart = childCpuNanos();
    }

    /**
     * Prints the CPU time both processes spent per operation in the iteration that just ended: unlike the wall
     * time, it hardly changes when other processes compete for the cores (the child's is counted in ticks of 10 ms,
     * so it is rough for a short iteration).
     */
    @TearDown(Level.Iteration)
    public void printCpuPerOperation() {
        if (operations > 0) {
            System.out.printf(java.util.Locale.ROOT, "  (CPU per op: producer %.3f ms + child %.3f ms)%n",
                    (parentCpuNanos() - parentCpuAtStart) / 1e6 / operations,
                    (childCpuNanos() - childCpuAtStart) / 1e6 / operations);
        }
    }

    private static long parentCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    private long childCpuNanos() {
        return child.toHandle().info().totalCpuDuration().map(Duration::toNanos).orElse(0L);
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
        operations++;
        if (segment != null) {
            toChild.write(GO); // the values are already where the child reads them
        } else {
            copyThroughPipe();
        }
        toChild.flush();
        String answer = fromChild.readLine();
        if (answer == null) {
            throw new IOException("the benchmark's child died");
        }
        if (Long.parseLong(answer) != expected) {
            throw new IOException("the child computed sum " + answer + ", expected " + expected);
        }
        return expected;
    }

    /** Copies the values into the child's stdin, 64 KB at a time. */
    private void copyThroughPipe() throws IOException {
        for (int i = 0; i < data.length; ) {
            int bytes = 0;
            for (; bytes < CHUNK_BYTES && i < data.length; bytes += Long.BYTES, i++) {
                chunkView.putLong(bytes, data[i]);
            }
            toChild.write(chunk, 0, bytes);
        }
    }

    /** The sum of {@code count} longs, in four independent chains so that the loop runs at memory speed. */
    static long sum(MemorySegment longs, long count) {
        long s0 = 0;
        long s1 = 0;
        long s2 = 0;
        long s3 = 0;
        long i = 0;
        for (; i + 3 < count; i += 4) {
            s0 += longs.getAtIndex(ValueLayout.JAVA_LONG_UNALIGNED, i);
            s1 += longs.getAtIndex(ValueLayout.JAVA_LONG_UNALIGNED, i + 1);
            s2 += longs.getAtIndex(ValueLayout.JAVA_LONG_UNALIGNED, i + 2);
            s3 += longs.getAtIndex(ValueLayout.JAVA_LONG_UNALIGNED, i + 3);
        }
        for (; i < count; i++) {
            s0 += longs.getAtIndex(ValueLayout.JAVA_LONG_UNALIGNED, i);
        }
        return s0 + s1 + s2 + s3;
    }

    /** The benchmark's child: sums what arrives, through the pipe or in the mapping, and answers each time. */
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
                    SharedMemory.read(segment, PATIENT); // once: the header and the checksum are right
                    long length = segment.get(ValueLayout.JAVA_LONG, SharedMemory.LENGTH_OFFSET);
                    MemorySegment values = segment.asSlice(SharedMemory.DATA_OFFSET, Long.BYTES * length);
                    while (in.readLine() != null) {
                        out.println(sum(values, length));
                        out.flush();
                    }
                }
            } else {
                var in = new DataInputStream(System.in);
                byte[] chunk = new byte[CHUNK_BYTES];
                MemorySegment view = MemorySegment.ofArray(chunk);
                while (true) {
                    long sum = 0;
                    for (int done = 0; done < size; done += chunk.length) {
                        int n = Math.min(chunk.length, size - done);
                        try {
                            in.readFully(chunk, 0, n);
                        } catch (EOFException end) {
                            return;
                        }
                        sum += sum(view, n / Long.BYTES);
                    }
                    out.println(sum);
                    out.flush();
                }
            }
        }
    }
}
