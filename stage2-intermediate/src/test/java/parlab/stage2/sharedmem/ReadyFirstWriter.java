package parlab.stage2.sharedmem;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;
import java.util.function.LongUnaryOperator;

/**
 * A canary for {@link SharedMemoryTest}: a writer that publishes the {@code ready} flag, with release semantics even,
 * but BEFORE the array, so that a reader waiting for it may read values that are not there yet. The test's check
 * for the order of the flag and the data must reject it.
 */
final class ReadyFirstWriter {
    private static final VarHandle READY = ValueLayout.JAVA_INT.varHandle();

    private ReadyFirstWriter() {
    }

    static void write(MemorySegment segment, long length, LongUnaryOperator values) {
        segment.set(ValueLayout.JAVA_LONG, SharedMemory.MAGIC_OFFSET, SharedMemory.MAGIC);
        segment.set(ValueLayout.JAVA_LONG, SharedMemory.LENGTH_OFFSET, length);
        READY.setRelease(segment, SharedMemory.READY_OFFSET, 1); // too early: the array is not written yet
        long checksum = 1;
        for (long i = 0; i < length; i++) {
            long value = values.applyAsLong(i);
            segment.setAtIndex(ValueLayout.JAVA_LONG, SharedMemory.DATA_OFFSET / Long.BYTES + i, value);
            checksum = SharedMemory.mix(checksum, value);
        }
        segment.set(ValueLayout.JAVA_LONG, SharedMemory.CHECKSUM_OFFSET, checksum);
    }
}
