package parlab.capstone;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.locks.LockSupport;

/**
 * A worker JVM: {@code WorkerMain <input> <heartbeat-millis>}, started by {@link WorkerProcess}. It maps the input
 * read-only itself, then reads {@link WorkerProtocol} frames on stdin, parses each chunk range with
 * {@link ChunkParser#parse} (exactly what a worker thread would compute) and writes the result on stdout. Its
 * stdout carries frames only: {@code System.out} is pointed at stderr, which the parent shares.
 *
 * <p>A daemon thread writes a heartbeat every interval, while a chunk is parsed too; frames are written under one
 * lock, so a frame is never torn. A worker outlives no parent: the end of stdin (the parent exited or was killed)
 * ends it, and so does a failed write (the parent closed the pipe).
 *
 * <p>Test hooks, for the supervision tests, not options (system properties the parent forwards from its own,
 * {@code -Dparlab.capstone.worker.*}): {@code parlab.capstone.worker.haltOnChunk=N} makes the worker die
 * ({@code Runtime.halt}) when handed chunk {@code N}; {@code parlab.capstone.worker.hangOnChunk=N} makes it freeze,
 * heartbeats included.
 */
public final class WorkerMain {
    /** Exit code of a worker that halts on purpose (test hook). */
    public static final int HALTED = 86;
    /** Exit code after a parse failed with an exception. */
    public static final int FAILED = 70;

    private WorkerMain() {
    }

    public static void main(String[] args) throws IOException {
        Path input = Path.of(args[0]);
        long heartbeatMillis = Long.parseLong(args[1]);
        int haltOn = Integer.getInteger("parlab.capstone.worker.haltOnChunk", -1);
        int hangOn = Integer.getInteger("parlab.capstone.worker.hangOnChunk", -1);
        DataOutputStream out = new DataOutputStream(new BufferedOutputStream(
                new FileOutputStream(FileDescriptor.out), 1 << 16));
        System.setOut(System.err);
        DataInputStream in = new DataInputStream(new BufferedInputStream(new FileInputStream(FileDescriptor.in)));
        try (FileChannel channel = FileChannel.open(input, StandardOpenOption.READ);
                Arena arena = Arena.ofShared()) {
            MemorySegment file = channel.map(FileChannel.MapMode.READ_ONLY, 0, channel.size(), arena);
            synchronized (out) {
                out.writeByte(WorkerProtocol.HELLO);
                out.writeLong(ProcessHandle.current().pid());
                out.flush();
            }
            Thread.ofPlatform().daemon().name("capstone-heartbeat").start(() -> heartbeats(out, heartbeatMillis));
            while (true) {
                byte type;
                try {
                    type = in.readByte();
                } catch (EOFException parentGone) {
                    break;
                }
                if (type == WorkerProtocol.EXIT) {
                    break;
                }
                if (type != WorkerProtocol.PARSE) {
                    throw new IOException("unknown frame type " + type);
                }
                Chunk chunk = WorkerProtocol.readChunk(in);
                if (chunk.id() == haltOn) {
                    Runtime.getRuntime().halt(HALTED);
                }
                if (chunk.id() == hangOn) {
                    synchronized (out) { // no heartbeat gets out either
                        while (true) {
                            LockSupport.park();
                        }
                    }
                }
                ChunkResult result;
                try {
                    result = ChunkParser.parse(file, chunk);
                } catch (RuntimeException | Error e) {
                    synchronized (out) {
                        out.writeByte(WorkerProtocol.FAILED);
                        out.writeInt(chunk.id());
                        out.writeUTF(String.valueOf(e));
                        out.flush();
                    }
                    Runtime.getRuntime().halt(FAILED);
                    return;
                }
                synchronized (out) {
                    WorkerProtocol.writeResult(out, result);
                    out.flush();
                }
                file.asSlice(chunk.start(), chunk.size()).unload(); // the chunk's pages leave this process
            }
        }
        Runtime.getRuntime().halt(0);
    }

    private static void heartbeats(DataOutputStream out, long millis) {
        try {
            while (true) {
                Thread.sleep(millis);
                synchronized (out) {
                    out.writeByte(WorkerProtocol.HEARTBEAT);
                    out.flush();
                }
            }
        } catch (IOException | InterruptedException parentGone) {
            Runtime.getRuntime().halt(0);
        }
    }
}
