package parlab.stage2.sockets;

import java.io.EOFException;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.ProtocolException;
import java.net.SocketAddress;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * s2e13 · Sockets between processes.
 *
 * <p>A pipe joins a parent to the children it starts; a socket joins any two processes that know its address.
 * On one machine there are two kinds worth knowing: a Unix-domain socket, named by a file
 * ({@link java.net.UnixDomainSocketAddress}, Java 16+), and TCP over the loopback interface, {@code 127.0.0.1}.
 * Both are byte streams, not message streams: one {@code write} of a megabyte can arrive as many reads, and two
 * writes can arrive as one. So messages are framed: a 4-byte big-endian length, then that many bytes. And a stream
 * can stop for two different reasons that must not look alike: the peer is gone (its process died, and the kernel
 * closed its end: you read the end of the stream), or the peer is silent (it is alive and hung: only a time limit
 * tells you).
 *
 * <p>A {@code FrameConnection} talks frames over one connected {@link SocketChannel}, in either role: the tests
 * use it as a client against {@link EchoServerMain} in a child JVM, which uses it as a server.
 *
 * <p>The contract, which the tests pin down:
 * <ul>
 *   <li>{@link #connect} connects to a Unix-domain or a TCP address; {@link #over} wraps a channel already
 *       connected; either way the connection owns the channel from then on;
 *   <li>{@link #send} writes the length as a 4-byte big-endian int, then the payload (0 bytes to
 *       {@link #MAX_FRAME_BYTES}); {@link #receive} returns exactly one frame's payload, however the bytes are cut
 *       into pieces on the way, for frames of 0 bytes, 1 byte and 1 MB alike;
 *   <li>a header that announces a negative length or more than {@link #MAX_FRAME_BYTES} is a
 *       {@link ProtocolException}, before anything is allocated;
 *   <li>a peer that closes the connection, or dies, is an {@link EOFException} at once, not after the timeout;
 *   <li>a peer that stays silent is a {@link SocketTimeoutException} once the connection's timeout is up: every
 *       {@code send} and {@code receive} finishes within it, whatever the peer does;
 *   <li>{@link #close} closes the channel (the peer reads the end of the stream) and anything else you opened.
 * </ul>
 *
 * <p>Baseline experiment: {@code ./lab bench sockets} times echo round trips of 64 B, 64 KB and 1 MB frames over
 * both transports, as ratios to TCP. Small frames cost tens of microseconds either way (two wake-ups of another
 * process per round trip dominate). Do not assume the Unix-domain socket wins because it skips the TCP/IP stack:
 * on Linux loopback TCP grows its buffers to megabytes, while a Unix-domain socket keeps about 200 KB, so a
 * megabyte takes more partial writes and wake-ups; measured on 2 busy cores, Unix was about 2x slower for 64 KB
 * and 1 MB frames. Measure before you choose.
 *
 * <p>Things to think about: what does {@code read} return when the peer is gone, and what when nothing has arrived
 * yet? A blocking channel's read cannot time out (and {@code setSoTimeout} does not apply to it): what can wait for
 * "readable, or the deadline, whichever first"? If a write cannot take the whole megabyte, what must you do with the
 * rest? What would a 2 GB length in a corrupt header do to a naive {@code new byte[length]}? And who deletes a
 * Unix-domain socket's file, and when?
 */
public final class FrameConnection implements AutoCloseable {
    /** The largest payload a frame may carry; a header that announces more is a protocol error. */
    public static final int MAX_FRAME_BYTES = 16 << 20;
    /** The frame header: the payload's length, a 4-byte big-endian int. */
    public static final int HEADER_BYTES = 4;

    // TODO: the fields your design needs (the channel, a way to wait for it with a time limit, the timeout)

    private FrameConnection() {
    }

    /** Connects to {@code address} (a {@code UnixDomainSocketAddress} or an {@code InetSocketAddress}). */
    public static FrameConnection connect(SocketAddress address, Duration timeout) throws IOException {
        // TODO: open a channel connected to the address; do not leak it if what follows fails
        throw new UnsupportedOperationException("TODO: connect");
    }

    /** Talks frames over a channel that is already connected (for example, one a server accepted). */
    public static FrameConnection over(SocketChannel channel, Duration timeout) throws IOException {
        // TODO: prepare to wait for this channel with a time limit; the channel is yours now
        throw new UnsupportedOperationException("TODO: over");
    }

    /**
     * Sends one frame: the payload's length as a 4-byte big-endian int, then the payload.
     *
     * @throws IllegalArgumentException if the payload is longer than {@link #MAX_FRAME_BYTES}
     * @throws SocketTimeoutException   if the peer does not take the whole frame within the timeout
     */
    public void send(byte[] payload) throws IOException {
        // TODO: check the size, then write header and payload until every byte is gone, within one deadline
        throw new UnsupportedOperationException("TODO: send");
    }

    /**
     * Receives one frame and returns its payload.
     *
     * @throws EOFException           if the peer closed the connection (or died) before the frame was complete
     * @throws ProtocolException      if the header announces a negative length or more than {@link #MAX_FRAME_BYTES}
     * @throws SocketTimeoutException if the whole frame does not arrive within the timeout
     */
    public byte[] receive() throws IOException {
        // TODO: read the header in full, check it, then read the payload in full, within one deadline
        // TODO: tell "nothing yet" from "the peer is gone"
        throw new UnsupportedOperationException("TODO: receive");
    }

    /** Sends {@code request} and receives the answer. */
    public byte[] call(byte[] request) throws IOException {
        // TODO: one frame out, one frame back
        throw new UnsupportedOperationException("TODO: call");
    }

    /** Closes the connection; the peer sees the end of the stream. */
    @Override
    public void close() throws IOException {
        // TODO: close everything you opened
        throw new UnsupportedOperationException("TODO: close");
    }
}
