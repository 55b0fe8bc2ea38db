package parlab.stage2.sharedmem;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.concurrent.TimeoutException;
import java.util.function.LongUnaryOperator;

/**
 * s2e05 · Shared memory between processes.
 *
 * <p>A pipe copies: every byte the parent writes goes into a kernel buffer and out again into the child, 64 KB at a
 * time. For a few lines that is nothing; for a 64 MB array it is two full copies and a few thousand system calls.
 * Two processes can instead map the same file: {@code FileChannel.map(mode, 0, size, arena)} returns a
 * {@link MemorySegment} backed by the file's pages, and when both processes map the same file they see the same
 * physical memory. In {@code /dev/shm} (a tmpfs) those pages never touch a disk. The producer writes its values
 * once, straight into the mapping, the child reads them where they are, and only small control messages (the path,
 * the child's answer) cross the pipe, through the {@link ControlChannel} plumbing. Nothing is copied: that is what
 * "zero-copy" means, and it only holds if the producer does not first build the array on its heap and copy it in.
 *
 * <p>The segment is laid out as a header and an array (offsets in this class): a {@code long} {@link #MAGIC}, the
 * array's length in {@code long}s, the array's {@link #checksum}, an {@code int} {@code ready} flag, then the
 * array. The child is told the path before the data is there, so it must wait for {@code ready}, and when it sees
 * {@code ready == 1} it must also see everything written before it: that is the release/acquire pattern, between
 * processes instead of threads.
 *
 * <p>The contract, which the tests pin down:
 * <ul>
 *   <li>{@link #directory} is {@code /dev/shm} where it is a writable directory, else {@code java.io.tmpdir};
 *   <li>{@link #write(MemorySegment, long, LongUnaryOperator)} asks {@code values} for each element once, in order,
 *       and stores it straight into the segment's array (no array on the heap), fills in the header at the offsets
 *       below and sets {@code ready} to 1 last, with release semantics: while the values are being produced,
 *       {@code ready} is still 0. A segment too small for the array is an {@link IllegalArgumentException}, and
 *       then nothing is written. {@link #write(MemorySegment, long[])} does the same for an array you already have;
 *   <li>{@link #read} waits (at most {@code timeout}, then {@link TimeoutException}) until it sees {@code ready}
 *       with acquire semantics, rejects a wrong magic number, a length that does not fit the segment, or an array
 *       whose checksum differs from the header's with an {@link IllegalStateException}, and returns the checksum.
 *       It reads the array where it is: the child runs with a 32 MB heap and gets arrays larger than that;
 *   <li>the release and the acquire are real: the class stores with a release (or stronger) {@code VarHandle}
 *       access mode or fence and loads with an acquire (or stronger) one. No run on a 2-core x86 machine shows a
 *       plain flag going wrong, so the tests look for them in the compiled class;
 *   <li>{@link #sendToChild} creates a file named {@value #FILE_PREFIX}... in the given directory, maps it, starts
 *       the child with {@link ControlChannel#start}, sends it {@code map <path>} (one line), writes the array and
 *       returns the checksum in the child's answer {@code checksum <n>}. A checksum other than the array's, a child
 *       that dies or does not answer in time, are {@link IOException}s;
 *   <li>only a few dozen bytes cross the pipe, whatever the array's size;
 *   <li>whatever happens, when {@link #sendToChild} returns or throws, the child is gone and the file deleted.
 * </ul>
 *
 * <p>Baseline experiment: {@code ./lab bench shared-memory} has a producer hand 1 MB and 64 MB of values it already
 * has to a child that sums them: copied through the child's stdin pipe, or left in a shared mapping (written there
 * with your {@link #write}) that the child reads in place, as ratios to the pipe. Both children do the same work on
 * the values; only the pipe copies them (into the kernel and out again) and hands them over 64 KB at a time. Expect
 * the widest gap at 1 MB: at 64 MB the values no longer fit in the caches, and reading them from memory is a cost
 * both transports pay.
 *
 * <p>Things to think about: why must the child be able to map the file while the data is not there yet, and what
 * would it see if {@code ready} were an ordinary store that the compiler or CPU could move before the array's? What
 * does {@code setRelease}/{@code getAcquire} on a {@code VarHandle} promise that a plain field does not? What does
 * {@code segment.toArray(JAVA_LONG)} cost in a child with a 32 MB heap? Who unmaps the segment, and can you delete a
 * file that another process still has mapped? And which of your three resources (file, mapping, child) must be
 * released even when the others fail to open?
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
        // TODO: /dev/shm when it is a writable directory, else the JVM's temp directory
        throw new UnsupportedOperationException("TODO: directory");
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
        // TODO: check the length and the size before writing anything
        // TODO: each value straight into its place in the array, folding it into the checksum as it goes by
        // TODO: magic, length and checksum at their offsets
        // TODO: publish: ready = 1, last, so that a reader who sees it also sees everything before it
        throw new UnsupportedOperationException("TODO: write");
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
        // TODO: wait for ready with a read that pairs with the writer's publication, until the deadline
        // TODO: check magic and length against the segment
        // TODO: checksum the array where it lies (mix, starting at 1) and compare with the header
        throw new UnsupportedOperationException("TODO: read");
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
        // TODO: a file in directory, mapped big enough for the header and the array
        // TODO: start the child, tell it the path, write, wait for its answer and check it
        // TODO: whatever happens: child gone, mapping closed, file deleted
        throw new UnsupportedOperationException("TODO: sendToChild");
    }

    /** {@link #sendToChild(long[], Path, ChildMain.Mode, Duration)} in {@link #directory()}, to a well-behaved child. */
    public static long sendToChild(long[] data, Duration timeout) throws IOException, InterruptedException {
        return sendToChild(data, directory(), ChildMain.Mode.WELL_BEHAVED, timeout);
    }
}
