package parlab.stage2.sockets;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
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
 * s2e13 · How fast do frames travel between two JVMs, over TCP loopback and over a Unix-domain socket?
 *
 * <p>One echo round trip per operation through {@link FrameConnection}: this JVM sends a frame of
 * {@code frameBytes} to an {@link EchoServerMain} child JVM and waits for the same bytes back, over
 * {@code transport=tcp} (the baseline of {@code ./lab bench sockets}) or {@code transport=unix}.
 *
 * <p>Small frames measure latency: two wake-ups of another process per round trip, tens of microseconds on
 * 2 cores, whatever the transport (measured: about 55 us over TCP, about the same over Unix). Large frames measure
 * bandwidth: divide {@code 2 * frameBytes} by the time per operation. The Unix-domain socket skips the TCP/IP
 * stack, but on Linux loopback TCP autotunes its buffers to megabytes while a Unix-domain socket keeps about
 * 200 KB ({@code net.core.wmem_default}), so a megabyte needs more partial writes and selector wake-ups: measured
 * on 2 busy cores, Unix was about 2x slower at 64 KB and 1 MB (with a wide spread). Try larger buffers
 * ({@code StandardSocketOptions.SO_SNDBUF} and {@code SO_RCVBUF}) on both ends and see whether the gap closes.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class SocketsBenchmark {
    @Param({"64", "65536", "1048576"})
    public int frameBytes;

    @Param({"tcp", "unix"})
    public String transport;

    private Path dir;
    private EchoServer server;
    private FrameConnection connection;
    private byte[] frame;

    @Setup(Level.Trial)
    public void start() throws IOException {
        dir = Files.createTempDirectory("parlab-sockets-");
        server = EchoServer.start(dir);
        connection = FrameConnection.connect(server.address(Transport.valueOf(transport.toUpperCase())),
                Duration.ofSeconds(30));
        frame = new byte[frameBytes];
        for (int i = 0; i < frameBytes; i++) {
            frame[i] = (byte) i;
        }
    }

    @TearDown(Level.Trial)
    public void stop() throws IOException {
        connection.close();
        server.close();
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path path : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        }
    }

    @Benchmark
    public byte[] roundTrip() throws IOException {
        return connection.call(frame);
    }
}
