// Sockets between processes — run with: jshell notes/sockets.jsh
import java.io.EOFException;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

void check(boolean ok, String message) { if (!ok) throw new AssertionError(message); }

// A socket carries bytes, not messages. A frame is a 4-byte length, then that many bytes.
void writeFrame(SocketChannel ch, byte[] payload) throws IOException {
    ByteBuffer buf = ByteBuffer.allocate(4 + payload.length).putInt(payload.length).put(payload).flip();
    while (buf.hasRemaining()) ch.write(buf);                  // write() may also write only part
}

// read() returns whatever has arrived: maybe 1 byte, maybe half a frame. Loop until the buffer is full.
// Returns the number of read() calls, or -1 on a clean end of stream before the first byte.
int readFully(SocketChannel ch, ByteBuffer buf) throws IOException {
    int calls = 0;
    while (buf.hasRemaining()) {
        calls++;
        if (ch.read(buf) < 0) {
            if (buf.position() == 0) return -1;
            throw new EOFException("peer closed in the middle of a frame");
        }
    }
    return calls;
}

// One frame, or null if the peer closed the connection between frames. readCalls counts the read() calls.
byte[] readFrame(SocketChannel ch, AtomicInteger readCalls) throws IOException {
    ByteBuffer header = ByteBuffer.allocate(4);
    int calls = readFully(ch, header);
    if (calls < 0) return null;
    int length = header.flip().getInt();
    if (length < 0 || length > 1 << 20) throw new IOException("bad frame length " + length);   // never trust it
    ByteBuffer body = ByteBuffer.allocate(length);
    if (length > 0) calls += Math.max(0, readFully(ch, body));
    readCalls.addAndGet(calls);
    return body.array();
}

// The server: accept one client, echo its frames upper-cased until it closes, then close.
void serveOne(ServerSocketChannel server, AtomicInteger readCalls) {
    try (SocketChannel client = server.accept()) {
        for (byte[] frame; (frame = readFrame(client, readCalls)) != null; )
            writeFrame(client, new String(frame, StandardCharsets.UTF_8).toUpperCase().getBytes(StandardCharsets.UTF_8));
    } catch (IOException e) {
        throw new java.io.UncheckedIOException(e);
    }
}

// A client conversation, the same over both kinds of socket. The last frame is sent in three pieces.
List<String> talk(SocketChannel ch) throws Exception {
    var replies = new ArrayList<String>();
    var ignored = new AtomicInteger();
    for (String msg : List.of("hello", "", "zürich ✓")) {
        writeFrame(ch, msg.getBytes(StandardCharsets.UTF_8));
        replies.add(new String(readFrame(ch, ignored), StandardCharsets.UTF_8));
    }
    byte[] payload = "sent in pieces".getBytes(StandardCharsets.UTF_8);
    ByteBuffer whole = ByteBuffer.allocate(4 + payload.length).putInt(payload.length).put(payload).flip();
    for (int cut : new int[] {2, 9, whole.limit()}) {          // 2 bytes of the length, then some, then the rest
        ch.write(whole.slice(whole.position(), cut - whole.position()));
        whole.position(cut);
        Thread.sleep(20);                                       // the server's read() returns what it has so far
    }
    replies.add(new String(readFrame(ch, ignored), StandardCharsets.UTF_8));
    return replies;
}

void unixDomainEcho() throws Exception {
    Path dir = Files.createTempDirectory("parlab-sock");
    Path socketFile = dir.resolve("echo.sock");
    try (var server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
        server.bind(UnixDomainSocketAddress.of(socketFile));    // creates the socket file
        var readCalls = new AtomicInteger();
        Thread serverThread = Thread.ofPlatform().name("uds-server").start(() -> serveOne(server, readCalls));
        List<String> replies;
        try (var ch = SocketChannel.open(UnixDomainSocketAddress.of(socketFile))) {
            replies = talk(ch);
        }                                                       // closing ends the server's loop (end of stream)
        serverThread.join();
        System.out.printf("Unix-domain socket %s: replies %s; the server needed %d read() calls for 4 frames%n",
                socketFile.getFileName(), replies, readCalls.get());
        check(replies.equals(List.of("HELLO", "", "ZÜRICH ✓", "SENT IN PIECES")), "every frame came back whole, even the one sent in pieces");
        check(readCalls.get() >= 7, "one read() at least for each length, and one more for each non-empty body");
    } finally {
        Files.deleteIfExists(socketFile);                       // a Unix socket file outlives its channel
        Files.delete(dir);
    }
}

void tcpEcho() throws Exception {
    try (var server = ServerSocketChannel.open()) {
        server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));   // 127.0.0.1, any free port
        var readCalls = new AtomicInteger();
        Thread serverThread = Thread.ofPlatform().name("tcp-server").start(() -> serveOne(server, readCalls));
        List<String> replies;
        try (var ch = SocketChannel.open(server.getLocalAddress())) {
            ch.setOption(java.net.StandardSocketOptions.TCP_NODELAY, true);   // small frames: do not wait to batch them
            replies = talk(ch);
        }
        serverThread.join();
        System.out.printf("TCP %s: replies %s%n", server.getLocalAddress(), replies);
        check(replies.equals(List.of("HELLO", "", "ZÜRICH ✓", "SENT IN PIECES")), "the same frames over TCP loopback");
    }
}

// A dead peer is seen as end of stream (read() returns -1); a silent one only with a timeout.
void deadAndSilentPeers() throws Exception {
    try (var server = ServerSocketChannel.open()) {
        server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        Thread closer = Thread.ofPlatform().start(() -> {
            try { server.accept().close(); } catch (IOException e) { throw new java.io.UncheckedIOException(e); }
        });
        try (var ch = SocketChannel.open(server.getLocalAddress())) {
            closer.join();
            check(readFrame(ch, new AtomicInteger()) == null, "a peer that closed is detected: end of stream, not a hang");
        }
    }
    // The Socket API has a read timeout (SocketChannel does not: use a Selector with a timeout there).
    try (var server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
         var client = new Socket(InetAddress.getLoopbackAddress(), server.getLocalPort());
         var accepted = server.accept()) {                     // accepted, but it never writes
        client.setSoTimeout(200);
        boolean timedOut = false;
        try { client.getInputStream().read(); } catch (SocketTimeoutException e) { timedOut = true; }
        check(timedOut, "a silent peer is detected by a read timeout");
    }
    System.out.println("dead peer: end of stream seen; silent peer: read timed out after 200 ms");
}

unixDomainEcho();
tcpEcho();
deadAndSilentPeers();
/exit
