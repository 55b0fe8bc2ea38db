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

/**
 * s2e05 · Shared memory between processes.
 *
 * <p>A pipe copies: every byte the parent writes goes into a kernel buffer and out again into the child, 64 KB at a
 * time. For a few lines that is nothing; for a 64 MB array it is two full copies and a few thousand system calls.
 * Two processes can instead map the same file: {@code FileChannel.map(mode, 0, size, arena)} returns a
 * {@link MemorySegment} backed by the file's pages, and when both processes map the same file they see the same
 * physical memory. In {@code /dev/shm} (a tmpfs) those pages never touch a disk. The parent writes the array once,
 * the child reads it where it is, and only small control messages (the path, the child's answer) cross the pipe,
 * through the {@link ControlChannel} plumbing.
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
 *   <li>{@link #write} fills in the header and the array at the offsets below and sets {@code ready} to 1 last,
 *       with release semantics; a segment too small for the array is an {@link IllegalArgumentException};
 *   <li>{@link #read} waits (at most {@code timeout}, then {@link TimeoutException}) until it sees {@code ready}
 *       with acquire semantics, rejects a wrong magic number, a length that does not fit the segment, or an array
 *       whose checksum differs from the header's with an {@link IllegalStateException}, and returns the checksum.
 *       It reads the array where it is: the child runs with a 32 MB heap and gets arrays larger than that;
 *   <li>{@link #sendToChild} creates a file named {@value #FILE_PREFIX}... in the given directory, maps it, starts
 *       the child with {@link ControlChannel#start}, sends it {@code map <path>} (one line), writes the array and
 *       returns the checksum in the child's answer {@code checksum <n>}. A checksum other than the array's, a child
 *       that dies or does not answer in time, are {@link IOException}s;
 *   <li>only a few dozen bytes cross the pipe, whatever the array's size;
 *   <li>whatever happens, when {@link #sendToChild} returns or throws, the child is gone and the file deleted.
 * </ul>
 *
 * <p>Baseline experiment: {@code ./lab bench shared-memory} sends 1 MB and 64 MB to a child that checksums them,
 * through its stdin pipe and through a shared mapping, as ratios to the pipe. Expect the pipe to cost a few
 * hundred microseconds per MB; through the mapping, the parent's one copy and the child's one pass remain.
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
     * Writes the header and {@code data} into {@code segment} and publishes them by setting {@code ready} last,
     * with release semantics.
     *
     * @throws IllegalArgumentException if the segment is smaller than {@link #bytesFor}{@code (data.length)}
     */
    public static void write(MemorySegment segment, long[] data) {
        // TODO: check the size
        // TODO: magic, length and checksum at their offsets, then the array
        // TODO: publish: ready = 1, last, so that a reader who sees it also sees everything before it
        throw new UnsupportedOperationException("TODO: write");
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
