package parlab.stage2.sharedmem;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.io.IOException;
import java.io.InputStream;
import java.lang.classfile.Attributes;
import java.lang.classfile.ClassFile;
import java.lang.classfile.ClassModel;
import java.lang.classfile.MethodModel;
import java.lang.classfile.instruction.InvokeInstruction;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.LongUnaryOperator;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;
import parlab.testing.Checkers;

class SharedMemoryTest {
    /** Long enough for a child JVM to start and answer on a busy machine. */
    private static final Duration PATIENT = Duration.ofSeconds(10);
    /** For the child that never answers. */
    private static final Duration SHORT = Duration.ofSeconds(1);
    /** 5 million longs: 40 MB, more than the child's whole 32 MB heap. */
    private static final int LARGER_THAN_THE_CHILDS_HEAP = 5_000_000;

    @TempDir
    Path dir;

    /**
     * VarHandle operations that keep every memory access before them before them (release or stronger): what the
     * store of the ready flag needs. The fences count when a plain store of the flag follows them.
     */
    private static final Set<String> RELEASING = Set.of("setRelease", "setVolatile", "getAndSet", "getAndSetRelease",
            "compareAndSet", "compareAndExchange", "compareAndExchangeRelease", "weakCompareAndSet",
            "weakCompareAndSetRelease", "getAndAdd", "getAndAddRelease", "getAndBitwiseOr", "getAndBitwiseOrRelease",
            "getAndBitwiseAnd", "getAndBitwiseAndRelease", "getAndBitwiseXor", "getAndBitwiseXorRelease",
            "releaseFence", "fullFence", "storeStoreFence");
    /**
     * VarHandle operations that keep every memory access after them after them (acquire or stronger): what the
     * load of the ready flag needs. The fences count when they follow a plain load of the flag.
     */
    private static final Set<String> ACQUIRING = Set.of("getAcquire", "getVolatile", "getAndSet", "getAndSetAcquire",
            "compareAndSet", "compareAndExchange", "compareAndExchangeAcquire", "weakCompareAndSet",
            "weakCompareAndSetAcquire", "getAndAdd", "getAndAddAcquire", "getAndBitwiseOr", "getAndBitwiseOrAcquire",
            "getAndBitwiseAnd", "getAndBitwiseAndAcquire", "getAndBitwiseXor", "getAndBitwiseXorAcquire",
            "acquireFence", "fullFence", "loadLoadFence");

    /** The values every test shares: element i is value(i). */
    private static long value(long i) {
        return (i + 1) * 0x9E3779B97F4A7C15L;
    }

    private static long[] data(int length) {
        long[] data = new long[length];
        for (int i = 0; i < length; i++) {
            data[i] = value(i);
        }
        return data;
    }

    /** A writer of values into a segment, as {@link SharedMemory#write(MemorySegment, long, LongUnaryOperator)}. */
    @FunctionalInterface
    interface Writer {
        void write(MemorySegment segment, long length, LongUnaryOperator values);
    }

    /**
     * Writes 1,000 values with {@code writer} and fails if the ready flag was already 1 when one of them was asked
     * for. Deterministic: the values are asked for on the writer's own thread, which always sees its own stores in
     * program order, so a flag stored before the array is seen on every run.
     */
    private static void assertReadyIsSetAfterTheData(Writer writer) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment segment = arena.allocate(SharedMemory.bytesFor(1_000), 8);
            List<Long> askedForWhileReady = new ArrayList<>();
            writer.write(segment, 1_000, i -> {
                if (segment.get(ValueLayout.JAVA_INT, SharedMemory.READY_OFFSET) != 0) {
                    askedForWhileReady.add(i);
                }
                return value(i);
            });
            assertThat(askedForWhileReady)
                    .as("values asked for while the ready flag was already 1: a reader that sees ready may then read "
                            + "an array that is not written yet; set ready after everything else")
                    .isEmpty();
            assertThat(segment.get(ValueLayout.JAVA_INT, SharedMemory.READY_OFFSET))
                    .as("ready flag once write returned").isEqualTo(1);
        }
    }

    /** The names of the VarHandle methods that {@code type} (with its nested classes and lambdas) calls. */
    private static Set<String> varHandleCallsIn(Class<?> type) throws IOException {
        Set<String> calls = new TreeSet<>();
        Deque<String> classes = new ArrayDeque<>(List.of(type.getName().replace('.', '/')));
        Set<String> seen = new HashSet<>();
        while (!classes.isEmpty()) {
            String name = classes.pop();
            if (!seen.add(name)) {
                continue;
            }
            ClassModel model;
            try (InputStream in = type.getClassLoader().getResourceAsStream(name + ".class")) {
                assertThat(in).as("the compiled class %s on the class path", name).isNotNull();
                model = ClassFile.of().parse(in.readAllBytes());
            }
            model.findAttribute(Attributes.nestMembers()).ifPresent(nest -> nest.nestMembers()
                    .forEach(member -> classes.add(member.asInternalName())));
            for (MethodModel method : model.methods()) {
                method.code().ifPresent(code -> code.forEach(element -> {
                    if (element instanceof InvokeInstruction call
                            && call.owner().asInternalName().equals("java/lang/invoke/VarHandle")) {
                        calls.add(call.name().stringValue());
                    }
                }));
            }
        }
        return calls;
    }

    /** Fails unless {@code type} stores with a release (or stronger) and loads with an acquire (or stronger). */
    private static void assertPublishesWithReleaseAndAcquire(Class<?> type) throws IOException {
        Set<String> calls = varHandleCallsIn(type);
        assertThat(calls)
                .as("VarHandle operations in %s that keep the stores before them in place (release or stronger, e.g. "
                        + "setRelease): the ready flag needs one, or the compiler may store it before the array, "
                        + "although your code writes it last; it calls only %s", type.getSimpleName(), calls)
                .containsAnyElementsOf(RELEASING);
        assertThat(calls)
                .as("VarHandle operations in %s that keep the loads after them in place (acquire or stronger, e.g. "
                        + "getAcquire): reading the ready flag needs one, or the array may be read before the flag "
                        + "is seen; it calls only %s", type.getSimpleName(), calls)
                .containsAnyElementsOf(ACQUIRING);
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

    @Test
    void writeStoresEachValueStraightIntoTheSegment() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment segment = arena.allocate(SharedMemory.bytesFor(1_000) + 64, 8);
            List<Long> askedFor = new ArrayList<>();
            SharedMemory.write(segment, 1_000, i -> {
                askedFor.add(i);
                return value(i);
            });
            assertThat(askedFor).as("the indexes values was asked for: each element once, in order")
                    .isEqualTo(java.util.stream.LongStream.range(0, 1_000).boxed().toList());
            assertThat(segment.get(ValueLayout.JAVA_LONG, SharedMemory.MAGIC_OFFSET)).as("magic number")
                    .isEqualTo(SharedMemory.MAGIC);
            assertThat(segment.get(ValueLayout.JAVA_LONG, SharedMemory.LENGTH_OFFSET)).as("length (in longs)")
                    .isEqualTo(1_000);
            assertThat(segment.get(ValueLayout.JAVA_LONG, SharedMemory.CHECKSUM_OFFSET)).as("checksum")
                    .isEqualTo(SharedMemory.checksum(data(1_000)));
            assertThat(segment.get(ValueLayout.JAVA_INT, SharedMemory.READY_OFFSET)).as("ready flag after write")
                    .isEqualTo(1);
            assertThat(segment.asSlice(SharedMemory.DATA_OFFSET, 8L * 1_000).toArray(ValueLayout.JAVA_LONG))
                    .as("the array, element i at DATA_OFFSET + 8 i").containsExactly(data(1_000));
        }
    }

    @Test
    void writingValuesBuildsNoArrayOnTheHeap() {
        var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        int length = 1 << 20; // 8 MB of values
        LongUnaryOperator values = SharedMemoryTest::value;
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment segment = arena.allocate(SharedMemory.bytesFor(length), 8);
            SharedMemory.write(segment, 1_000, values); // once, so that class loading is not counted below
            segment.set(ValueLayout.JAVA_INT, SharedMemory.READY_OFFSET, 0);
            long before = threads.getCurrentThreadAllocatedBytes();
            SharedMemory.write(segment, length, values);
            long allocated = threads.getCurrentThreadAllocatedBytes() - before;
            assertThat(allocated)
                    .as("bytes allocated on the heap while writing 8 MB of values into the segment: the values go "
                            + "straight into it, not into an array that is then copied")
                    .isLessThan(length * 8L / 10);
            assertThat(segment.get(ValueLayout.JAVA_LONG, SharedMemory.CHECKSUM_OFFSET)).as("checksum")
                    .isEqualTo(SharedMemory.checksum(data(length)));
        }
    }

    @ParameterizedTest(name = "{0} longs")
    @ValueSource(ints = {-1, 101})
    void writeOfValuesRejectsALengthThatDoesNotFitBeforeWritingAnything(int length) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment segment = arena.allocate(SharedMemory.bytesFor(100), 8);
            List<Long> askedFor = new ArrayList<>();
            assertThat(catchThrowable(() -> SharedMemory.write(segment, length, i -> {
                askedFor.add(i);
                return value(i);
            }))).as("write of %d values into a segment with room for 100", length)
                    .isInstanceOf(IllegalArgumentException.class);
            assertThat(askedFor).as("values asked for before the length was rejected").isEmpty();
            assertThat(segment.toArray(ValueLayout.JAVA_LONG)).as("the segment after a rejected write: untouched")
                    .containsOnly(0L);
        }
    }

    /**
     * The flag stored before the array is caught on every run (see {@link #assertReadyIsSetAfterTheData}); the
     * canary proves that the check still sees it.
     */
    @Test
    void readyIsSetOnlyAfterEveryValueIsWritten() {
        Checkers.assertRejects("a writer that sets ready (with setRelease) before the array",
                () -> assertReadyIsSetAfterTheData(ReadyFirstWriter::write));
        assertReadyIsSetAfterTheData(SharedMemory::write);
    }

    /**
     * A flag stored last but with a plain store, or read with a plain load, passes every run on this machine: x86
     * keeps stores in order and loads in order, and Lincheck's model checker explores interleavings of sequentially
     * consistent steps, not reorderings. It is still a data race the Java memory model lets the JIT break, so the
     * test looks at the compiled class for a release (or stronger) and an acquire (or stronger) VarHandle operation.
     * A class could still use them on the wrong word; the canary, with plain get/set on the flag, proves that the
     * look finds plain accesses wanting.
     */
    @Test
    void theReadyFlagIsStoredWithReleaseAndLoadedWithAcquire() throws IOException {
        Checkers.assertRejects("a class that stores and loads the ready flag with the VarHandle's plain set and get",
                () -> assertPublishesWithReleaseAndAcquire(PlainReadyFlag.class));
        assertPublishesWithReleaseAndAcquire(SharedMemory.class);
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
