package parlab.stage2.sharedmem;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.concurrent.TimeoutException;
import java.util.function.LongUnaryOperator;
import java.util.concurrent.locks.LockSupport;

/**
 * s2e05 · Shared memory between processes — reference solution.
 *
 * <p>The parent creates the file in {@link #directory()} (tmpfs, so the "file" is only page cache), sizes and maps
 * it read-write in one {@code FileChannel.map(READ_WRITE, 0, size, arena)}, and only then tells the child the
 * path: the child maps the same pages read-only and spins on the {@code ready} word. {@link #write} asks for each
 * value in turn and stores it straight into the array's slice of the mapping, folding it into the checksum on the
 * way (one pass, no copy on the heap), fills the header with plain stores and publishes all of it with one
 * {@code setRelease} of the {@code ready} word through a {@code VarHandle} from {@code JAVA_INT.varHandle()};
 * the {@code long[]} form is the same with the array's elements as the values. {@link #read} polls it with
 * {@code getAcquire}
 * (spinning with {@code onSpinWait}, then parking briefly, until the deadline), so every store before the release
 * is visible after the acquire that sees {@code 1}: across processes this is the same hardware ordering as across
 * threads, since both mappings are the same physical pages. It then checks the magic number and the length against
 * the segment's size and folds the array with {@link #mix} straight from the mapping, one
 * {@code getAtIndex(JAVA_LONG, i)} at a time: nothing is copied onto the child's small heap.
 *
 * <p>{@link #sendToChild} owns three resources, opened in one try-with-resources (channel, arena, child) inside a
 * try/finally that deletes the file: whatever fails (the child crashes, hangs, or answers a wrong checksum), the
 * child is ended and reaped, the mapping is unmapped when the arena closes, and the file is removed.
 *
 * <p>Other ways: the parent could send {@code ready} over the pipe only and skip the flag (the pipe's write and
 * read are system calls, which order memory too), but then the segment is no longer self-describing and a second
 * reader has nothing to wait on. {@code VarHandle.releaseFence()} before a plain store of the flag, and
 * {@code acquireFence()} after a plain load, give the same ordering. A real ring buffer between processes would
 * use a sequence number instead of a one-shot flag, and {@code futex}-style waiting instead of spinning.
 */
public final class SharedMemory {
    /** The first 8 bytes of every shared array: "PARLSHM1" in ASCII. */
    public static final long MAGIC = 0x5041524C53484D31L;
    /** Where the magic number lives (a {@code long}). */
    public static final long MAGIC_OFFSET = 0;
    /** Where the array's length, in {@code long}s, lives (a {@code long}). */
    public static final long LENGTH_OFFSET = 8;
    /** Where the array's {@link #checksum} lives (a {@code long}). */
    public static final long CHECKSUM_OFFSET = 16;
    /** Where the {@code ready} flag lives (an {@code int}: 0 until everything else is written, then 1). */
    public static final long READY_OFFSET = 24;
    /** Where the array starts; element {@code i} is the {@code long} at {@code DATA_OFFSET + 8 * i}. */
    public static final long DATA_OFFSET = 32;
    /** The prefix of the mapping files' names. */
    public static final String FILE_PREFIX = "parlab-shm-";

    private static final VarHandle READY = ValueLayout.JAVA_INT.varHandle();
    private static final long SPINS_BEFORE_PARKING = 10_000;
    private static final long PARK_NANOS = 50_000;

    private SharedMemory() {
    }

    /** How many bytes a segment needs for a header and {@code length} longs. */
    public static long bytesFor(long length) {
        return DATA_OFFSET + Long.BYTES * length;
    }

    /** Folds one more value into a checksum; a checksum starts at 1. */
    public static long mix(long checksum, long value) {
        return checksum * 31 + value;
    }

    /** The checksum of a whole array: {@link #mix} over its elements in order, starting at 1. */
    public static long checksum(long[] data) {
        long checksum = 1;
        for (long value : data) {
            checksum = mix(checksum, value);
        }
        return checksum;
    }

    /** Where mapping files go: {@code /dev/shm} where it exists (memory, not disk), else the temp directory. */
    public static Path directory() {
        Path shm = Path.of("/dev/shm");
        if (Files.isDirectory(shm) && Files.isWritable(shm)) {
            return shm;
        }
        return Path.of(System.getProperty("java.io.tmpdir"));
    }

    /**
     * Writes {@code length} values straight into {@code segment}, element {@code i} being
     * {@code values.applyAsLong(i)}, with the header, and publishes them by setting {@code ready} last, with release
     * semantics. {@code values} is called once per element, in order, and nothing is buffered on the heap: a
     * producer that makes its data this way writes it exactly once, into the mapping.
     *
     * @throws IllegalArgumentException if {@code length} is negative or the segment is smaller than
     *                                  {@link #bytesFor}{@code (length)}; nothing is written then
     */
    public static void write(MemorySegment segment, long length, LongUnaryOperator values) {
        if (length < 0 || segment.byteSize() < bytesFor(length)) {
            throw new IllegalArgumentException("segment of " + segment.byteSize() + " bytes cannot hold "
                    + length + " longs and the header (" + bytesFor(length) + " bytes)");
        }
        MemorySegment array = segment.asSlice(DATA_OFFSET, Long.BYTES * length);
        long checksum = 1;
        for (long i = 0; i < length; i++) {
            long value = values.applyAsLong(i);
            array.setAtIndex(ValueLayout.JAVA_LONG, i, value);
            checksum = mix(checksum, value);
        }
        segment.set(ValueLayout.JAVA_LONG, MAGIC_OFFSET, MAGIC);
        segment.set(ValueLayout.JAVA_LONG, LENGTH_OFFSET, length);
        segment.set(ValueLayout.JAVA_LONG, CHECKSUM_OFFSET, checksum);
        READY.setRelease(segment, READY_OFFSET, 1); // every store above happens-before a getAcquire that sees 1
    }

    /**
     * Writes the header and {@code data} into {@code segment} and publishes them by setting {@code ready} last,
     * with release semantics: {@link #write(MemorySegment, long, LongUnaryOperator)} of {@code data}'s elements.
     *
     * @throws IllegalArgumentException if the segment is smaller than {@link #bytesFor}{@code (data.length)}
     */
    public static void write(MemorySegment segment, long[] data) {
        write(segment, data.length, i -> data[(int) i]);
    }

    /**
     * Waits until {@code ready} is set (with acquire semantics), checks the header and returns the checksum of the
     * array, computed from the segment where it is.
     *
     * @throws TimeoutException      if {@code ready} is not set within {@code timeout}
     * @throws IllegalStateException if the magic number is wrong, the length does not fit the segment, or the
     *                               computed checksum differs from the header's
     * @throws InterruptedException  if interrupted while waiting
     */
    public static long read(MemorySegment segment, Duration timeout) throws InterruptedException, TimeoutException {
        long deadline = System.nanoTime() + timeout.toNanos();
        for (long spins = 0; (int) READY.getAcquire(segment, READY_OFFSET) != 1; spins++) {
            if (Thread.interrupted()) {
                throw new InterruptedException("interrupted while waiting for the shared array to be ready");
            }
            if (System.nanoTime() - deadline >= 0) {
                throw new TimeoutException("the shared array was not ready within " + timeout);
            }
            if (spins < SPINS_BEFORE_PARKING) {
                Thread.onSpinWait();
            } else {
                LockSupport.parkNanos(PARK_NANOS);
            }
        }
        long magic = segment.get(ValueLayout.JAVA_LONG, MAGIC_OFFSET);
        if (magic != MAGIC) {
            throw new IllegalStateException("not a shared array: magic number " + Long.toHexString(magic));
        }
        long length = segment.get(ValueLayout.JAVA_LONG, LENGTH_OFFSET);
        if (length < 0 || length > (segment.byteSize() - DATA_OFFSET) / Long.BYTES) {
            throw new IllegalStateException("length " + length + " does not fit a segment of "
                    + segment.byteSize() + " bytes");
        }
        MemorySegment array = segment.asSlice(DATA_OFFSET, Long.BYTES * length);
        long checksum = 1;
        for (long i = 0; i < length; i++) {
            checksum = mix(checksum, array.getAtIndex(ValueLayout.JAVA_LONG, i));
        }
        long expected = segment.get(ValueLayout.JAVA_LONG, CHECKSUM_OFFSET);
        if (checksum != expected) {
            throw new IllegalStateException("checksum " + checksum + " differs from the header's " + expected);
        }
        return checksum;
    }

    /**
     * Shares {@code data} with a new {@link ChildMain} child JVM through a file mapped in {@code directory} and
     * returns the checksum the child computed. Only the path, and the child's one-line answer, cross the pipe.
     * Whatever happens, the child is gone and the file deleted when this returns or throws.
     *
     * @throws IOException          if the child fails, does not answer within {@code timeout}, or answers a
     *                              checksum other than the array's
     * @throws InterruptedException if interrupted while waiting for the child
     */
    public static long sendToChild(long[] data, Path directory, ChildMain.Mode mode, Duration timeout)
            throws IOException, InterruptedException {
        Path file = Files.createTempFile(directory, FILE_PREFIX, ".bin");
        try {
            try (var channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE);
                    var arena = Arena.ofConfined();
                    var child = ControlChannel.start(mode)) {
                MemorySegment segment = channel.map(FileChannel.MapMode.READ_WRITE, 0, bytesFor(data.length), arena);
                child.send("map " + file);
                write(segment, data);
                String answer = child.receive(timeout);
                if (!answer.startsWith("checksum ")) {
                    throw new IOException("unexpected answer from the child: " + answer);
                }
                long childChecksum = Long.parseLong(answer.substring("checksum ".length()));
                long expected = checksum(data);
                if (childChecksum != expected) {
                    throw new IOException("the child computed checksum " + childChecksum + ", expected " + expected);
                }
                return childChecksum;
            }
        } finally {
            Files.deleteIfExists(file);
        }
    }

    /** {@link #sendToChild(long[], Path, ChildMain.Mode, Duration)} in {@link #directory()}, to a well-behaved child. */
    public static long sendToChild(long[] data, Duration timeout) throws IOException, InterruptedException {
        return sendToChild(data, directory(), ChildMain.Mode.WELL_BEHAVED, timeout);
    }
}
