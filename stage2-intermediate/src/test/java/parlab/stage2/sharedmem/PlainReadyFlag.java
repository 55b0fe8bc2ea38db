package parlab.stage2.sharedmem;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;
import java.util.function.LongUnaryOperator;

/**
 * A canary for {@link SharedMemoryTest}: the flag is written last and read first, but with the VarHandle's plain
 * {@code set} and {@code get}, which order nothing. It works on every run on x86 (the hardware keeps stores in
 * order, and the JIT happens not to move these), yet the Java memory model lets the flag's store move before the
 * array's and the flag's load after the array's. The test's look at the compiled class must reject it.
 */
final class PlainReadyFlag {
    private static final VarHandle READY = ValueLayout.JAVA_INT.varHandle();

    private PlainReadyFlag() {
    }

    static void write(MemorySegment segment, long length, LongUnaryOperator values) {
        long checksum = 1;
        for (long i = 0; i < length; i++) {
            long value = values.applyAsLong(i);
            segment.setAtIndex(ValueLayout.JAVA_LONG, SharedMemory.DATA_OFFSET / Long.BYTES + i, value);
            checksum = SharedMemory.mix(checksum, value);
        }
        segment.set(ValueLayout.JAVA_LONG, SharedMemory.MAGIC_OFFSET, SharedMemory.MAGIC);
        segment.set(ValueLayout.JAVA_LONG, SharedMemory.LENGTH_OFFSET, length);
        segment.set(ValueLayout.JAVA_LONG, SharedMemory.CHECKSUM_OFFSET, checksum);
        READY.set(segment, SharedMemory.READY_OFFSET, 1); // last, but plain: nothing keeps the stores above before it
    }

    static boolean ready(MemorySegment segment) {
        return (int) READY.get(segment, SharedMemory.READY_OFFSET) == 1; // plain: later loads may move before it
    }
}
