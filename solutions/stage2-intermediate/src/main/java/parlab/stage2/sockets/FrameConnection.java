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
 * s2e13 · Sockets between processes — reference solution.
 *
 * <p>The channel is put in non-blocking mode and registered, once, with a {@link Selector} of its own. A read or
 * write returns at once with however many bytes the kernel could take or give, possibly none; the loops in
 * {@link #readFully} and {@link #send} keep going until the buffer is done, and whenever the channel can make no
 * progress they wait in {@code selector.select(millisLeft)} for it to become readable or writable. Each
 * {@link #receive} and {@link #send} has one deadline, so a peer that trickles one byte a second cannot stretch a
 * call forever, and running out of it is a {@link SocketTimeoutException}. A read that returns -1 is the peer's
 * end of stream: an {@link EOFException} at once, whether the peer closed politely or its process died (the kernel
 * closes a dead process's sockets; on TCP that may also surface as "Connection reset"). The header is checked
 * before anything is allocated, and {@code send} hands the header and the payload to one gathering write.
 *
 * <p>Other ways: a blocking channel with a watchdog that closes it when the deadline passes (a blocked read then
 * fails with {@code AsynchronousCloseException}) costs a timer per call; TCP's socket adapter
 * ({@code channel.socket().setSoTimeout}) does not apply to the channel's own reads, and Unix-domain channels have
 * no adapter at all. A virtual thread per connection with plain blocking reads is simplest where no per-call time
 * limit is needed, as in {@link EchoServerMain}'s handlers before they wait. TCP keepalive detects a peer whose
 * machine vanished, but only after minutes; a timeout is what bounds the wait.
 */
public final class FrameConnection implements AutoCloseable {
    /** The largest payload a frame may carry; a header that announces more is a protocol error. */
    public static final int MAX_FRAME_BYTES = 16 << 20;
    /** The frame header: the payload's length, a 4-byte big-endian int. */
    public static final int HEADER_BYTES = 4;

    private final SocketChannel channel;
    private final Selector selector;
    private final SelectionKey key;
    private final Duration timeout;
    private final ByteBuffer header = ByteBuffer.allocate(HEADER_BYTES);

    private FrameConnection(SocketChannel channel, Selector selector, Duration timeout) throws IOException {
        this.channel = channel;
        this.selector = selector;
        this.timeout = timeout;
        channel.configureBlocking(false);
        this.key = channel.register(selector, 0);
    }

    /** Connects to {@code address} (a {@code UnixDomainSocketAddress} or an {@code InetSocketAddress}). */
    public static FrameConnection connect(SocketAddress address, Duration timeout) throws IOException {
        SocketChannel channel = SocketChannel.open(address);
        try {
            return over(channel, timeout);
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    /** Talks frames over a channel that is already connected (for example, one a server accepted). */
    public static FrameConnection over(SocketChannel channel, Duration timeout) throws IOException {
        Selector selector = Selector.open();
        try {
            return new FrameConnection(channel, selector, timeout);
        } catch (IOException | RuntimeException e) {
            selector.close();
            throw e;
        }
    }

    /**
     * Sends one frame: the payload's length as a 4-byte big-endian int, then the payload.
     *
     * @throws IllegalArgumentException if the payload is longer than {@link #MAX_FRAME_BYTES}
     * @throws SocketTimeoutException   if the peer does not take the whole frame within the timeout
     */
    public void send(byte[] payload) throws IOException {
        if (payload.length > MAX_FRAME_BYTES) {
            throw new IllegalArgumentException("payload of " + payload.length + " bytes exceeds " + MAX_FRAME_BYTES);
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        ByteBuffer[] frame = {ByteBuffer.allocate(HEADER_BYTES).putInt(0, payload.length), ByteBuffer.wrap(payload)};
        while (frame[0].hasRemaining() || frame[1].hasRemaining()) {
            if (channel.write(frame) == 0) {
                await(SelectionKey.OP_WRITE, deadline, "sending a frame of " + payload.length + " bytes");
            }
        }
    }

    /**
     * Receives one frame and returns its payload.
     *
     * @throws EOFException           if the peer closed the connection (or died) before the frame was complete
     * @throws ProtocolException      if the header announces a negative length or more than {@link #MAX_FRAME_BYTES}
     * @throws SocketTimeoutException if the whole frame does not arrive within the timeout
     */
    public byte[] receive() throws IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        header.clear();
        readFully(header, deadline, "a frame header");
        int length = header.getInt(0);
        if (length < 0 || length > MAX_FRAME_BYTES) {
            throw new ProtocolException("frame header announces " + length + " bytes (at most " + MAX_FRAME_BYTES
                    + ")");
        }
        byte[] payload = new byte[length];
        readFully(ByteBuffer.wrap(payload), deadline, "a frame of " + length + " bytes");
        return payload;
    }

    /** Sends {@code request} and receives the answer. */
    public byte[] call(byte[] request) throws IOException {
        send(request);
        return receive();
    }

    private void readFully(ByteBuffer buffer, long deadline, String what) throws IOException {
        while (buffer.hasRemaining()) {
            int read = channel.read(buffer);
            if (read < 0) {
                throw new EOFException("the peer closed the connection after " + buffer.position() + " of "
                        + buffer.limit() + " bytes of " + what);
            }
            if (read == 0) {
                await(SelectionKey.OP_READ, deadline, "receiving " + what);
            }
        }
    }

    private void await(int operation, long deadline, String what) throws IOException {
        long millisLeft = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
        if (millisLeft <= 0) {
            throw new SocketTimeoutException("timed out after " + timeout.toMillis() + " ms " + what);
        }
        key.interestOps(operation);
        selector.select(millisLeft);
        selector.selectedKeys().clear();
        if (Thread.interrupted()) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while " + what);
        }
    }

    /** Closes the connection; the peer sees the end of the stream. */
    @Override
    public void close() throws IOException {
        try (channel) {
            selector.close();
        }
    }
}
