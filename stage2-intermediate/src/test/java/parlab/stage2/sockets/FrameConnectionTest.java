package parlab.stage2.sockets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.io.EOFException;
import java.io.IOException;
import java.net.ProtocolException;
import java.net.SocketTimeoutException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class FrameConnectionTest {
    /** Long enough for anything that should happen at once, on a busy machine. */
    private static final Duration PATIENT = Duration.ofSeconds(8);
    /** A megabyte: more than a socket's kernel buffers, so it cannot travel in one write or one read. */
    private static final int MEGABYTE = 1 << 20;

    @TempDir
    Path dir;

    private final List<AutoCloseable> toClose = new ArrayList<>();
    private final List<Thread> peers = new ArrayList<>();

    @AfterEach
    void cleanUp() throws Exception {
        for (AutoCloseable resource : toClose.reversed()) {
            resource.close();
        }
        for (Thread peer : peers) {
            peer.join(PATIENT.toMillis());
        }
    }

    private <T extends AutoCloseable> T closeLater(T resource) {
        toClose.add(resource);
        return resource;
    }

    private static byte[] bytes(int length, int seed) {
        byte[] bytes = new byte[length];
        for (int i = 0; i < length; i++) {
            bytes[i] = (byte) (i * 31 + seed);
        }
        return bytes;
    }

    /** A peer in this JVM: a Unix-domain server socket, and a thread that accepts one connection and runs {@code peer}. */
    private FutureTask<Void> peer(PeerBody peer) throws IOException {
        ServerSocketChannel server = closeLater(ServerSocketChannel.open(StandardProtocolFamily.UNIX));
        server.bind(UnixDomainSocketAddress.of(dir.resolve("peer.sock")));
        var task = new FutureTask<Void>(() -> {
            try (SocketChannel channel = server.accept()) {
                peer.run(channel);
            }
            return null;
        });
        peers.add(Thread.ofPlatform().name("socket-test-peer").start(task));
        return task;
    }

    private interface PeerBody {
        void run(SocketChannel channel) throws Exception;
    }

    private static void writeAll(SocketChannel channel, ByteBuffer buffer) throws IOException {
        while (buffer.hasRemaining()) {
            channel.write(buffer);
        }
    }

    private static ByteBuffer readExactly(SocketChannel channel, int length) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(length);
        while (buffer.hasRemaining()) {
            if (channel.read(buffer) < 0) {
                throw new EOFException("test peer: the connection ended early");
            }
        }
        return buffer.flip();
    }

    /** Compares byte arrays without printing a megabyte of them: the length, then the first difference. */
    private static void assertSameBytes(byte[] actual, byte[] expected, String description, Object... args) {
        String what = description.formatted(args);
        assertThat(actual).as("%s: a payload, not null", what).isNotNull();
        assertThat(actual.length).as("%s: length", what).isEqualTo(expected.length);
        int firstDifference = Arrays.mismatch(actual, expected);
        assertThat(firstDifference).as("%s: index of the first byte that differs (-1: none)", what).isEqualTo(-1);
    }

    private UnixDomainSocketAddress peerAddress() {
        return UnixDomainSocketAddress.of(dir.resolve("peer.sock"));
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Transport.class)
    void manyFramesOfVariedSizesMakeTheRoundTrip(Transport transport) throws Exception {
        EchoServer server = closeLater(EchoServer.start(dir));
        FrameConnection connection = closeLater(FrameConnection.connect(server.address(transport), PATIENT));
        List<byte[]> requests = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            requests.add(bytes(switch (i % 6) {
                case 0 -> 0;
                case 1 -> 1;
                case 2 -> 3;
                case 3 -> 4;
                case 4 -> 1_000 + i;
                default -> 70_000 + i;
            }, i));
        }
        requests.add(bytes(MEGABYTE, 7));
        requests.add(new byte[0]);
        requests.add(bytes(MEGABYTE, 8));
        for (int i = 0; i < requests.size(); i++) {
            byte[] request = requests.get(i);
            byte[] answer = connection.call(request);
            assertSameBytes(answer, request, "echo of frame %d (%d bytes) over %s", i, request.length, transport);
        }
    }

    @Test
    void theFrameIsALengthPrefixAndThePayload() throws Exception {
        byte[] payload = bytes(300, 1);
        FutureTask<Void> peer = peer(channel -> {
            ByteBuffer header = readExactly(channel, 4);
            assertThat(header.getInt()).as("frame header: the payload's length as a 4-byte big-endian int")
                    .isEqualTo(300);
            assertThat(readExactly(channel, 300).array()).as("the 300 bytes after the header").isEqualTo(payload);
            writeAll(channel, ByteBuffer.allocate(4).putInt(0, 2));
            writeAll(channel, ByteBuffer.wrap(new byte[] {42, 43}));
        });
        FrameConnection connection = closeLater(FrameConnection.connect(peerAddress(), PATIENT));
        assertThat(connection.call(payload)).as("payload of the frame [0, 0, 0, 2, 42, 43] sent by the peer")
                .containsExactly(42, 43);
        peer.get(PATIENT.toSeconds(), TimeUnit.SECONDS);
    }

    @Test
    void aFrameThatArrivesInTinyPiecesIsReassembled() throws Exception {
        byte[] payload = bytes(2_000, 3);
        FutureTask<Void> peer = peer(channel -> {
            ByteBuffer frame = ByteBuffer.allocate(4 + payload.length).putInt(payload.length).put(payload).flip();
            for (int i = 0; frame.hasRemaining(); i++) {
                int piece = i < 8 ? 1 : 97; // the header byte by byte, then pieces that cut through it all
                writeAll(channel, frame.slice(frame.position(), Math.min(piece, frame.remaining())));
                frame.position(frame.position() + Math.min(piece, frame.remaining()));
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(2)); // pacing, so the pieces arrive apart
            }
            writeAll(channel, ByteBuffer.allocate(4).putInt(0, 1));
            writeAll(channel, ByteBuffer.wrap(new byte[] {9}));
        });
        FrameConnection connection = closeLater(FrameConnection.connect(peerAddress(), PATIENT));
        assertSameBytes(connection.receive(), payload, "a 2,000-byte frame that arrived in pieces of 1 and 97 bytes");
        assertThat(connection.receive()).as("the next frame, [0, 0, 0, 1, 9]: nothing of it may have been taken"
                + " by the previous receive").containsExactly(9);
        peer.get(PATIENT.toSeconds(), TimeUnit.SECONDS);
    }

    @Test
    @Timeout(30)
    void aPeerThatClosesMidFrameIsAnEndOfStream() throws Exception {
        FutureTask<Void> peer = peer(channel -> writeAll(channel,
                ByteBuffer.allocate(4 + 10).putInt(100).put(new byte[10]).flip()));
        FrameConnection connection = closeLater(FrameConnection.connect(peerAddress(), Duration.ofSeconds(10)));
        peer.get(PATIENT.toSeconds(), TimeUnit.SECONDS);
        long start = System.nanoTime();
        Throwable thrown = catchThrowable(connection::receive);
        long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        assertThat(thrown).as("what receive throws when the peer sent 10 of 100 bytes and closed the connection")
                .isInstanceOf(EOFException.class);
        assertThat(millis).as("milliseconds until receive noticed the closed connection (its timeout is 10 s)")
                .isLessThan(5_000L);
    }

    @Test
    void aHeaderThatAnnouncesTooMuchIsAProtocolError() throws Exception {
        peer(channel -> writeAll(channel, ByteBuffer.allocate(4).putInt(0, Integer.MAX_VALUE)));
        FrameConnection connection = closeLater(FrameConnection.connect(peerAddress(), PATIENT));
        assertThat(catchThrowable(connection::receive))
                .as("what receive throws for a header that announces %d bytes (more than MAX_FRAME_BYTES)",
                        Integer.MAX_VALUE)
                .isInstanceOf(ProtocolException.class);
    }

    @Test
    void aPayloadLargerThanTheLimitIsRefusedBeforeItIsSent() throws Exception {
        FutureTask<Void> peer = peer(channel -> {
            ByteBuffer first = ByteBuffer.allocate(1);
            assertThat(channel.read(first)).as("bytes the peer received: none, then the end of the stream")
                    .isEqualTo(-1);
        });
        FrameConnection connection = closeLater(FrameConnection.connect(peerAddress(), PATIENT));
        assertThat(catchThrowable(() -> connection.send(new byte[FrameConnection.MAX_FRAME_BYTES + 1])))
                .as("what send throws for a payload one byte over MAX_FRAME_BYTES")
                .isInstanceOf(IllegalArgumentException.class);
        connection.close();
        peer.get(PATIENT.toSeconds(), TimeUnit.SECONDS);
    }

    @Test
    void aSilentPeerIsATimeoutNotAnEndlessWait() throws Exception {
        EchoServer server = closeLater(EchoServer.start(dir));
        FrameConnection connection = closeLater(FrameConnection.connect(server.address(Transport.UNIX),
                Duration.ofMillis(500)));
        assertThat(connection.call(bytes(10, 1))).as("echo before the server hangs").isEqualTo(bytes(10, 1));
        long start = System.nanoTime();
        Throwable thrown = catchThrowable(() -> connection.call(EchoServerMain.HANG));
        long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        assertThat(thrown).as("what call throws when the server never answers (timeout 500 ms)")
                .isInstanceOf(SocketTimeoutException.class);
        assertThat(millis).as("milliseconds call waited with a 500 ms timeout").isBetween(400L, 5_000L);
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Transport.class)
    @Timeout(30)
    void aPeerThatDiesIsDetectedAtOnceNotAfterTheTimeout(Transport transport) throws Exception {
        EchoServer server = closeLater(EchoServer.start(dir));
        FrameConnection connection = closeLater(FrameConnection.connect(server.address(transport),
                Duration.ofSeconds(10)));
        assertThat(connection.call(bytes(100, 2))).as("echo before the server dies").isEqualTo(bytes(100, 2));
        connection.send(EchoServerMain.HANG);
        var killer = new FutureTask<Void>(() -> {
            server.kill();
            return null;
        });
        peers.add(Thread.ofPlatform().name("socket-test-killer").start(killer));
        long start = System.nanoTime();
        Throwable thrown = catchThrowable(connection::receive);
        long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        killer.get(PATIENT.toSeconds(), TimeUnit.SECONDS);
        assertThat(thrown).as("what receive throws when the server process is killed while it is awaited over %s:"
                        + " the end of the stream (or a reset), not a timeout", transport)
                .isInstanceOf(IOException.class).isNotInstanceOf(SocketTimeoutException.class);
        assertThat(millis).as("milliseconds until receive noticed the dead server (its timeout is 10 s)")
                .isLessThan(6_000L);
    }

    @Test
    void closeEndsTheConnectionForThePeer() throws Exception {
        FutureTask<Void> peer = peer(channel -> {
            ByteBuffer frame = readExactly(channel, 5);
            assertThat(frame.getInt(0)).as("header of the one frame sent").isEqualTo(1);
            assertThat(channel.read(ByteBuffer.allocate(1))).as("what the peer reads after close: end of stream")
                    .isEqualTo(-1);
        });
        FrameConnection connection = closeLater(FrameConnection.connect(peerAddress(), PATIENT));
        connection.send(new byte[] {5});
        connection.close();
        peer.get(PATIENT.toSeconds(), TimeUnit.SECONDS);
    }

    @Test
    @Timeout(30)
    void overAClosedChannelFailsWithoutLeavingAnythingOpen() throws Exception {
        Path fds = Path.of("/proc/self/fd");
        Assumptions.assumeTrue(Files.isDirectory(fds), "counting open files needs /proc/self/fd (Linux)");
        tryOver(); // once first, so that what the JDK opens on first use is not counted
        long before = openFiles(fds);
        for (int i = 0; i < 20; i++) {
            tryOver();
        }
        assertThat(openFiles(fds) - before).as("files left open by 20 calls of over(...) on a closed channel (any"
                + " connection it returned was closed): what over opens before it fails, a Selector for one, must be"
                + " closed when it fails").isLessThan(10);
    }

    /** Calls {@code over} on a closed channel and closes what it returns, if it returns; a failure is expected. */
    private static void tryOver() throws IOException {
        SocketChannel closed = SocketChannel.open();
        closed.close();
        try {
            FrameConnection.over(closed, PATIENT).close();
        } catch (UnsupportedOperationException todo) {
            throw todo;
        } catch (IOException | RuntimeException expected) {
            // a closed channel cannot carry frames; how over says so is up to it
        }
    }

    private static long openFiles(Path fds) throws IOException {
        try (var files = Files.list(fds)) {
            return files.count();
        }
    }
}
