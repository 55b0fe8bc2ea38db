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
 * s2e05 · What does it cost to hand {@code size} bytes of values to another process: serialised through its stdin
 * pipe, or written straight into shared memory?
 *
 * <p>Per operation a producer makes {@code size / 8} {@code long}s ({@link #value}), and one long-lived child JVM
 * checksums them and answers one line, which the producer checks. With {@code transport=pipe} (the baseline of
 * {@code ./lab bench shared-memory}) the producer serialises the values into a 64 KB buffer and writes it to the
 * child's stdin, buffer after buffer, and the child reads them in 64 KB pieces and checksums each piece: every byte
 * is copied into the kernel's pipe buffer and out again (and, by {@code FileOutputStream} and
 * {@code FileInputStream}, through a native buffer on each side), and the 64 KB pipe makes the two processes hand
 * over to each other about once per 64 KB: a thousand times at 64 MB. With {@code transport=shared} the producer
 * calls {@link SharedMemory#write(MemorySegment, long, LongUnaryOperator)}, which stores each value straight into a
 * mapping in {@code /dev/shm} (no array on the heap, no copy), and sends {@code go}; the child, which mapped the
 * same file once, checksums the values where they are with {@link SharedMemory#read}. Only two short lines cross
 * the pipe.
 *
 * <p>Both transports do the same work on the values: the producer makes each one and folds it into a checksum (the
 * header's, or the one it checks the answer against), the child reads each one and folds it in. The checksum is a
 * chain of dependent multiply-adds, about 1.3 ns per value on each side here, which no transport removes: at 64 MB
 * that is some 11 ms in the producer and 11 ms in the child, the floor under both. What the pipe adds on top is its
 * copies and hand-offs. But the pipe also overlaps the two processes (the child checksums one piece while the
 * producer makes the next), whereas the one-shot {@code ready} flag makes the child wait for the whole array: on
 * an idle 2-core machine that overlap wins back part of the pipe's cost in wall time.
 *
 * <p>Each iteration also prints the CPU time both processes spent per operation, which, unlike the wall time,
 * hardly moves when other processes compete for the cores. Measured on the workbook's 2-core machine while about
 * 25 other processes wanted to run (load average 24): CPU per op, pipe against mapping, 0.5 + 0.7 ms against
 * 0.19 + 0.19 ms at 1 MB (about 3x) and 30 + 45 ms against 12 + 11 ms at 64 MB (about 3x); the wall-time ratios
 * printed by {@code ./lab bench} were 2.7x at 1 MB and 0.85x at 64 MB, with errors as large as the scores: under
 * such load the scheduler, not the transport, decides the wall time (a process that sleeps on a pipe a thousand
 * times per operation is woken ahead of one that computes for 11 ms in a row). Expect an order of magnitude only
 * when the work per value is far smaller than a copy, and pipelined shared memory (a published count instead of a
 * one-shot flag) to keep the pipe's overlap without its copies.
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
            where = file.toString();
        } else {
            chunk = new byte[CHUNK_BYTES];
            chunkView = ByteBuffer.wrap(chunk).order(ByteOrder.nativeOrder());
        }
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
        long checksum;
        if (segment != null) {
            segment.set(ValueLayout.JAVA_INT, SharedMemory.READY_OFFSET, 0); // the child is idle until "go"
            SharedMemory.write(segment, length, VALUES);
            checksum = segment.get(ValueLayout.JAVA_LONG, SharedMemory.CHECKSUM_OFFSET);
            toChild.write(GO);
        } else {
            checksum = serialise();
        }
        toChild.flush();
        String answer = fromChild.readLine();
        if (answer == null) {
            throw new IOException("the benchmark's child died");
        }
        if (Long.parseLong(answer) != checksum) {
            throw new IOException("the child computed checksum " + answer + ", expected " + checksum);
        }
        return checksum;
    }

    /** Serialises the values into the child's stdin, 64 KB at a time, and returns their checksum. */
    private long serialise() throws IOException {
        long checksum = 1;
        for (long i = 0; i < length; ) {
            int bytes = 0;
            for (; bytes < CHUNK_BYTES && i < length; bytes += Long.BYTES, i++) {
                long value = value(i);
                chunkView.putLong(bytes, value);
                checksum = SharedMemory.mix(checksum, value);
            }
            toChild.write(chunk, 0, bytes);
        }
        return checksum;
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
                byte[] chunk = new byte[CHUNK_BYTES];
                ByteBuffer view = ByteBuffer.wrap(chunk).order(ByteOrder.nativeOrder());
                while (true) {
                    long checksum = 1;
                    for (int done = 0; done < size; done += chunk.length) {
                        int n = Math.min(chunk.length, size - done);
                        try {
                            in.readFully(chunk, 0, n);
                        } catch (EOFException end) {
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
