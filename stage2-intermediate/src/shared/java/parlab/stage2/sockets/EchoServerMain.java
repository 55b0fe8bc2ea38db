package parlab.stage2.sockets;

import java.io.EOFException;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.CountDownLatch;

/**
 * The server's side of s2e13, run by {@link EchoServer} in a child JVM. Plumbing, not the lesson: read it to know
 * what the server does; the part that is yours is {@link FrameConnection}, which it uses to talk.
 *
 * <p>It listens on a Unix-domain socket at {@code <dir>/echo.sock} and on TCP {@code 127.0.0.1} at a port the
 * system picks, and says so on its stdout: {@code unix <path>}, then {@code tcp <port>}. Every connection it
 * accepts gets a virtual thread that answers each frame with the same bytes, except the 4-byte frame
 * {@link #HANG} ("hang"), which it never answers. It exits, removing its socket file, when its stdin ends.
 */
public final class EchoServerMain {
    /** The request the server never answers. */
    static final byte[] HANG = {'h', 'a', 'n', 'g'};
    /** How long the server's connections wait for the next frame. */
    static final Duration IDLE = Duration.ofMinutes(10);

    private EchoServerMain() {
    }

    public static void main(String[] args) throws IOException {
        Path socketFile = Path.of(args[0], "echo.sock");
        Files.deleteIfExists(socketFile);
        try (var unix = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
                var tcp = ServerSocketChannel.open(StandardProtocolFamily.INET)) {
            unix.bind(UnixDomainSocketAddress.of(socketFile));
            tcp.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            System.out.println("unix " + socketFile);
            System.out.println("tcp " + ((InetSocketAddress) tcp.getLocalAddress()).getPort());
            System.out.flush();
            Thread.ofPlatform().daemon().name("accept-unix").start(() -> acceptAll(unix));
            Thread.ofPlatform().daemon().name("accept-tcp").start(() -> acceptAll(tcp));
            while (System.in.read() != -1) {
                // waits for the end of stdin: the parent's cue to exit
            }
        } finally {
            Files.deleteIfExists(socketFile);
        }
    }

    private static void acceptAll(ServerSocketChannel server) {
        try {
            while (true) {
                SocketChannel channel = server.accept();
                Thread.ofVirtual().start(() -> serve(channel));
            }
        } catch (IOException closed) {
            // the server is shutting down
        }
    }

    private static void serve(SocketChannel channel) {
        try (var connection = FrameConnection.over(channel, IDLE)) {
            while (true) {
                byte[] request = connection.receive();
                if (Arrays.equals(request, HANG)) {
                    new CountDownLatch(1).await();
                }
                connection.send(request);
            }
        } catch (EOFException clientLeft) {
            // the client closed its side: this conversation is over
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt(); // the server is shutting down
        } catch (IOException | RuntimeException e) {
            System.err.println("connection failed: " + e);
        }
    }
}
