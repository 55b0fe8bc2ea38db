package parlab.stage2.sockets;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnixDomainSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A child JVM running {@link EchoServerMain}, seen from the parent. Plumbing, not the lesson: use it, there is
 * nothing to change here. {@link #start} returns once the server listens on both transports; {@link #kill} ends it
 * abruptly (SIGKILL, as a crash would); {@link #close} ends it politely, then forcibly, waits until it is gone and
 * removes its socket file, which a killed server cannot do itself.
 */
public final class EchoServer implements AutoCloseable {
    private final Process process;
    private final Path socketFile;
    private final int tcpPort;

    private EchoServer(Process process, Path socketFile, int tcpPort) {
        this.process = process;
        this.socketFile = socketFile;
        this.tcpPort = tcpPort;
    }

    /** Starts a server whose Unix-domain socket file lives in {@code dir} (keep the path short: about 100 bytes). */
    public static EchoServer start(Path dir) throws IOException {
        List<String> command = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx64m", "-XX:+UseSerialGC", "-Xshare:auto", "-cp", System.getProperty("java.class.path"),
                EchoServerMain.class.getName(), dir.toString());
        Process process = new ProcessBuilder(command)
                .redirectError(dir.resolve("echo-server.err").toFile()).start();
        try {
            var out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
            String unix = out.readLine();
            String tcp = out.readLine();
            if (unix == null || tcp == null || !unix.startsWith("unix ") || !tcp.startsWith("tcp ")) {
                throw new IOException("the echo server did not start: " + unix + " / " + tcp + "; stderr: "
                        + Files.readString(dir.resolve("echo-server.err")));
            }
            return new EchoServer(process, Path.of(unix.substring(5)), Integer.parseInt(tcp.substring(4)));
        } catch (IOException | RuntimeException e) {
            destroy(process);
            throw e;
        }
    }

    /** Where the server listens on the given transport. */
    public SocketAddress address(Transport transport) {
        return switch (transport) {
            case UNIX -> UnixDomainSocketAddress.of(socketFile);
            case TCP -> new InetSocketAddress(InetAddress.getLoopbackAddress(), tcpPort);
        };
    }

    public Path socketFile() {
        return socketFile;
    }

    public long pid() {
        return process.pid();
    }

    /** Kills the server at once (SIGKILL) and waits until it is gone: its sockets are closed by the kernel. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor();
    }

    @Override
    public void close() throws IOException {
        destroy(process);
        Files.deleteIfExists(socketFile);
    }

    private static void destroy(Process process) {
        boolean interrupted = Thread.interrupted();
        try {
            process.getOutputStream().close();
        } catch (IOException ignored) {
            // already gone
        }
        try {
            if (!process.waitFor(1, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            interrupted = true;
            process.destroyForcibly();
        }
        process.onExit().join();
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}
