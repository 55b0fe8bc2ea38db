// Shared memory — run with: jshell notes/shared-memory.jsh
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

void check(boolean ok, String message) { if (!ok) throw new AssertionError(message); }

// 1. Threads need nothing special: they share the heap. An AtomicLongArray is multiprocessing.Array with a lock per
//    element, but without the lock: each element is updated atomically in place.
void heapIsShared() throws InterruptedException {
    var histogram = new AtomicLongArray(10);
    Thread[] threads = new Thread[4];
    for (int t = 0; t < 4; t++) {
        int id = t;
        threads[t] = Thread.ofPlatform().start(() -> { for (int i = 0; i < 10_000; i++) histogram.incrementAndGet((i * 7 + id) % 10); });
    }
    for (var t : threads) t.join();
    long total = 0;
    for (int i = 0; i < 10; i++) total += histogram.get(i);
    check(total == 40_000 && histogram.get(3) == 4_000, "every increment landed in the one shared array");
    System.out.println("4 threads, one AtomicLongArray on the heap: " + histogram);
}

// 2. Between processes: a file mapped by both. Here the same file is mapped twice, as two processes would map it,
//    and the two mappings are handed to two threads. The header holds one long at offset 0: the length published.
//    The writer fills the data, then publishes the length with a release store; the reader polls with an acquire
//    load, and once it sees the length, it is guaranteed to see the data written before it.
static final VarHandle LONG = ValueLayout.JAVA_LONG.varHandle();   // coordinates: (MemorySegment, long offset)
static final long HEADER = 64;                                     // data starts after one cache line of header

Path sharedFile() throws java.io.IOException {
    Path shm = Path.of("/dev/shm");                                // RAM-backed on Linux: no disk I/O at all
    return Files.isDirectory(shm) && Files.isWritable(shm) ? Files.createTempFile(shm, "parlab", ".shm")
                                                            : Files.createTempFile("parlab", ".shm");
}

void twoMappings() throws Exception {
    Path file = sharedFile();
    int count = 100_000;
    long size = HEADER + count * 8L;
    try {
        try (var ch1 = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE);
             var ch2 = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE);
             var arena = Arena.ofShared()) {
            MemorySegment writerView = ch1.map(FileChannel.MapMode.READ_WRITE, 0, size, arena);   // grows the file
            MemorySegment readerView = ch2.map(FileChannel.MapMode.READ_WRITE, 0, size, arena);
            check(writerView.address() != readerView.address(), "two separate mappings, at two addresses");

            // The simplest case first: a byte written through one mapping is read through the other.
            writerView.set(ValueLayout.JAVA_BYTE, HEADER, (byte) 42);
            check(readerView.get(ValueLayout.JAVA_BYTE, HEADER) == 42, "a write through one mapping is seen through the other");

            var readerSum = new AtomicLong(-1);
            Thread reader = Thread.ofPlatform().name("reader").start(() -> {
                long n;
                while ((n = (long) LONG.getAcquire(readerView, 0L)) == 0) Thread.onSpinWait();   // acquire: wait for publish
                long sum = 0;
                for (long i = 0; i < n; i++) sum += readerView.get(ValueLayout.JAVA_LONG, HEADER + i * 8);
                readerSum.set(sum);
            });
            long expected = 0;
            for (int i = 0; i < count; i++) { writerView.set(ValueLayout.JAVA_LONG, HEADER + i * 8L, i * 3L); expected += i * 3L; }
            LONG.setRelease(writerView, 0L, (long) count);                 // release: publish the data written above
            reader.join();
            check(readerSum.get() == expected, "the reader saw every value written before the published length");
            System.out.printf("%s: %,d longs written through one mapping, summed through the other: %,d%n",
                    file.getParent(), count, readerSum.get());

            // The bytes are in the file (the page cache), where another JVM could map them too.
            check(Files.size(file) == size, "the mapping made the file " + size + " bytes long");
        }                                                                  // closing the arena unmaps both
    } finally {
        Files.deleteIfExists(file);                                    // removed even if a check failed
    }
    check(!Files.exists(file), "the shared file is removed");
}

heapIsShared();
twoMappings();
/exit
