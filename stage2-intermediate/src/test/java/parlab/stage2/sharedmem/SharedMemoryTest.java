package parlab.stage2.sharedmem;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

class SharedMemoryTest {
    /** Long enough for a child JVM to start and answer on a busy machine. */
    private static final Duration PATIENT = Duration.ofSeconds(10);
    /** For the child that never answers. */
    private static final Duration SHORT = Duration.ofSeconds(1);
    /** 5 million longs: 40 MB, more than the child's whole 32 MB heap. */
    private static final int LARGER_THAN_THE_CHILDS_HEAP = 5_000_000;

    @TempDir
    Path dir;

    private static long[] data(int length) {
        long[] data = new long[length];
        for (int i = 0; i < length; i++) {
            data[i] = (i + 1) * 0x9E3779B97F4A7C15L;
        }
        return data;
    }

    /** A segment filled in by hand, as {@link SharedMemory#write} should: header, array, ready. */
    private static MemorySegment handWritten(Arena arena, long[] data, boolean ready) {
        MemorySegment segment = arena.allocate(SharedMemory.bytesFor(data.length), 8);
        segment.set(ValueLayout.JAVA_LONG, SharedMemory.MAGIC_OFFSET, SharedMemory.MAGIC);
        segment.set(ValueLayout.JAVA_LONG, SharedMemory.LENGTH_OFFSET, data.length);
        segment.set(ValueLayout.JAVA_LONG, SharedMemory.CHECKSUM_OFFSET, SharedMemory.checksum(data));
        MemorySegment.copy(data, 0, segment, ValueLayout.JAVA_LONG, SharedMemory.DATA_OFFSET, data.length);
        segment.set(ValueLayout.JAVA_INT, SharedMemory.READY_OFFSET, ready ? 1 : 0);
        return segment;
    }

    private static Set<Long> childPids() {
        return ProcessHandle.current().children().filter(ProcessHandle::isAlive).map(ProcessHandle::pid)
                .collect(Collectors.toSet());
    }

    private List<Path> filesLeftIn(Path directory) throws IOException {
        try (Stream<Path> files = Files.list(directory)) {
            return files.toList();
        }
    }

    @Test
    void theMappingGoesToDevShmWhereItExists() {
        Path shm = Path.of("/dev/shm");
        Path expected = Files.isDirectory(shm) && Files.isWritable(shm) ? shm
                : Path.of(System.getProperty("java.io.tmpdir"));
        assertThat(SharedMemory.directory()).as("directory(): /dev/shm (memory) where it is a writable directory,"
                + " else java.io.tmpdir").isEqualTo(expected);
    }

    @Test
    void writeLaysOutTheHeaderAndTheArrayAndSetsReady() {
        long[] data = data(1_000);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment segment = arena.allocate(SharedMemory.bytesFor(data.length) + 64, 8);
            SharedMemory.write(segment, data);
            assertThat(segment.get(ValueLayout.JAVA_LONG, SharedMemory.MAGIC_OFFSET)).as("magic number at offset %d",
                    SharedMemory.MAGIC_OFFSET).isEqualTo(SharedMemory.MAGIC);
            assertThat(segment.get(ValueLayout.JAVA_LONG, SharedMemory.LENGTH_OFFSET))
                    .as("length (in longs) at offset %d", SharedMemory.LENGTH_OFFSET).isEqualTo(data.length);
            assertThat(segment.get(ValueLayout.JAVA_LONG, SharedMemory.CHECKSUM_OFFSET))
                    .as("checksum at offset %d", SharedMemory.CHECKSUM_OFFSET)
                    .isEqualTo(SharedMemory.checksum(data));
            assertThat(segment.get(ValueLayout.JAVA_INT, SharedMemory.READY_OFFSET))
                    .as("ready flag (an int) at offset %d after write", SharedMemory.READY_OFFSET).isEqualTo(1);
            long[] array = segment.asSlice(SharedMemory.DATA_OFFSET, 8L * data.length).toArray(ValueLayout.JAVA_LONG);
            assertThat(array).as("the array, element i at DATA_OFFSET + 8 i").containsExactly(data);
        }
    }

    @Test
    void writeRejectsASegmentTooSmallForTheArray() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment segment = arena.allocate(SharedMemory.bytesFor(100) - 1, 8);
            assertThat(catchThrowable(() -> SharedMemory.write(segment, data(100))))
                    .as("write of 100 longs into a segment one byte too small for them and the header")
                    .isInstanceOf(IllegalArgumentException.class);
            assertThat(segment.get(ValueLayout.JAVA_INT, SharedMemory.READY_OFFSET))
                    .as("ready flag after a rejected write: nothing may be published").isZero();
        }
    }

    @ParameterizedTest(name = "{0} longs")
    @ValueSource(ints = {0, 1, 100_000})
    void readReturnsTheChecksumOfAPublishedArray(int length) throws Exception {
        long[] data = data(length);
        try (Arena arena = Arena.ofConfined()) {
            assertThat(SharedMemory.read(handWritten(arena, data, true), SHORT))
                    .as("read of a segment written by hand with %d longs", length)
                    .isEqualTo(SharedMemory.checksum(data));
        }
    }

    @Test
    void readWaitsForReadyAndGivesUpAfterTheTimeout() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment notReady = handWritten(arena, data(10), false);
            long start = System.nanoTime();
            Throwable thrown = catchThrowable(() -> SharedMemory.read(notReady, Duration.ofMillis(200)));
            long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            assertThat(thrown).as("read of a complete segment whose ready flag is still 0: it must not read before"
                    + " the writer has published, and must give up after the timeout").isInstanceOf(TimeoutException.class);
            assertThat(millis).as("milliseconds read waited with a 200 ms timeout").isBetween(150L, 5_000L);
        }
    }

    @Test
    void readSeesAnArrayPublishedWhileItWaits() throws Exception {
        long[] data = data(50_000);
        try (Arena arena = Arena.ofShared()) {
            MemorySegment segment = arena.allocate(SharedMemory.bytesFor(data.length), 8);
            var reader = new FutureTask<>(() -> SharedMemory.read(segment, PATIENT));
            Thread thread = Thread.ofPlatform().name("shm-test-reader").start(reader);
            SharedMemory.write(segment, data);
            assertThat(reader.get(PATIENT.toSeconds(), TimeUnit.SECONDS))
                    .as("checksum seen by a reader that was waiting when the array was written")
                    .isEqualTo(SharedMemory.checksum(data));
            thread.join();
        }
    }

    @Test
    void readRejectsAWrongMagicNumber() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment segment = handWritten(arena, data(10), true);
            segment.set(ValueLayout.JAVA_LONG, SharedMemory.MAGIC_OFFSET, 42L);
            assertThat(catchThrowable(() -> SharedMemory.read(segment, SHORT)))
                    .as("read of a ready segment whose magic number is 42").isInstanceOf(IllegalStateException.class);
        }
    }

    @Test
    void readRejectsALengthThatDoesNotFitTheSegment() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment segment = handWritten(arena, data(10), true);
            segment.set(ValueLayout.JAVA_LONG, SharedMemory.LENGTH_OFFSET, 11L);
            assertThat(catchThrowable(() -> SharedMemory.read(segment, SHORT)))
                    .as("read of a segment with room for 10 longs whose header says 11")
                    .isInstanceOf(IllegalStateException.class);
        }
    }

    @Test
    void readRejectsAnArrayWhoseChecksumDiffersFromTheHeader() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment segment = handWritten(arena, data(10), true);
            segment.setAtIndex(ValueLayout.JAVA_LONG, SharedMemory.DATA_OFFSET / 8 + 9, -1L);
            assertThat(catchThrowable(() -> SharedMemory.read(segment, SHORT)))
                    .as("read of a segment whose last element was changed after the checksum was written")
                    .isInstanceOf(IllegalStateException.class);
        }
    }

    @ParameterizedTest(name = "{0} longs")
    @ValueSource(ints = {1, 1_000, LARGER_THAN_THE_CHILDS_HEAP})
    void theChildSeesExactlyWhatWasWritten(int length) throws Exception {
        long[] data = data(length);
        Set<Long> before = childPids();
        long[] answer = new long[1];
        assertThatCode(() -> answer[0] = SharedMemory.sendToChild(data, dir, ChildMain.Mode.WELL_BEHAVED, PATIENT))
                .as("sendToChild of %d longs (%d MB) to a child with a 32 MB heap", length, 8L * length >> 20)
                .doesNotThrowAnyException();
        assertThat(answer[0]).as("checksum computed by the child").isEqualTo(SharedMemory.checksum(data));
        assertThat(filesLeftIn(dir)).as("files left in the mapping directory after success").isEmpty();
        assertThat(childPids()).as("child processes still alive after sendToChild returned")
                .isSubsetOf(before);
    }

    @Test
    void onlySmallMessagesCrossThePipe() throws Exception {
        long[] data = data(1 << 20); // 8 MB
        long sentBefore = ControlChannel.totalBytesSent();
        long receivedBefore = ControlChannel.totalBytesReceived();
        long checksum = SharedMemory.sendToChild(data, dir, ChildMain.Mode.WELL_BEHAVED, PATIENT);
        assertThat(checksum).as("checksum computed by the child").isEqualTo(SharedMemory.checksum(data));
        assertThat(ControlChannel.totalBytesSent() - sentBefore)
                .as("bytes written to the child's stdin to share 8 MB: the path, not the data")
                .isPositive().isLessThan(dir.toString().length() + 200L);
        assertThat(ControlChannel.totalBytesReceived() - receivedBefore)
                .as("bytes read from the child's stdout: one short answer").isPositive().isLessThan(100L);
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(value = ChildMain.Mode.class, names = {"CRASH", "HANG", "WRONG_CHECKSUM"})
    void aFailureIsReportedAndLeavesNoFileAndNoChild(ChildMain.Mode mode) throws Exception {
        Set<Long> before = childPids();
        Throwable thrown = catchThrowable(() -> SharedMemory.sendToChild(data(10_000), dir, mode, SHORT.multipliedBy(
                mode == ChildMain.Mode.HANG ? 1 : 10)));
        assertThat(thrown).as("what sendToChild throws when the child is %s", mode)
                .isInstanceOf(IOException.class);
        assertThat(filesLeftIn(dir)).as("files left in the mapping directory after a %s child", mode).isEmpty();
        assertThat(childPids()).as("child processes still alive after sendToChild threw").isSubsetOf(before);
    }

    @Test
    void theShortFormLeavesNothingInTheDefaultDirectory() throws Exception {
        long[] data = data(10);
        assertThat(SharedMemory.sendToChild(data, PATIENT)).as("checksum computed by the child")
                .isEqualTo(SharedMemory.checksum(data));
        try (Stream<Path> files = Files.list(SharedMemory.directory())) {
            assertThat(files.map(p -> p.getFileName().toString()).filter(n -> n.startsWith(SharedMemory.FILE_PREFIX)))
                    .as("%s* files left in %s", SharedMemory.FILE_PREFIX, SharedMemory.directory()).isEmpty();
        }
    }
}
