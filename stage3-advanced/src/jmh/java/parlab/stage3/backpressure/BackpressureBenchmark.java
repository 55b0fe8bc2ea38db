package parlab.stage3.backpressure;

import java.util.Iterator;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * s3e03 · Does backpressure cost throughput?
 *
 * <p>A producer makes {@value #ITEMS} messages of 1 KB each, and two workers checksum them, which takes longer than
 * making them (a fresh array is cheap, a multiply-add per byte is not): the producer is the fast side. With {@code inFlight=unbounded} ({@link Limits#unbounded}) nothing
 * holds the producer back, and the stream piles up in the queue, up to some 100 MB of it; with a budget of 1024 or
 * 16 items it waits for the workers. {@code ./lab bench backpressure} prints the time per run and the speedup over
 * the unbounded pipeline.
 *
 * <p>What to expect: the bounded runs are not slower, and usually faster. The work is the same; what the unbounded
 * run adds is hundreds of megabytes of live objects for the garbage collector to copy, and cache misses on items
 * that went cold in the queue. A budget of 16 is the leanest but parks the producer every few items; run with
 * {@code -prof gc} to see the allocation and GC time per run. Backpressure is not a tax on throughput, it is what
 * keeps a fast producer from spending the machine's memory.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = "-Xmx1g")
public class BackpressureBenchmark {
    static final int ITEMS = 100_000;
    private static final int SIZE = 1_024;

    @Param({"unbounded", "1024", "16"})
    public String inFlight;

    private Limits limits() {
        return inFlight.equals("unbounded") ? Limits.unbounded(2)
                : new Limits(Integer.parseInt(inFlight), Long.MAX_VALUE, 2);
    }

    /** Fresh messages, made as the pipeline asks for them. */
    private static Iterator<byte[]> messages() {
        return new Iterator<>() {
            int made;

            @Override
            public boolean hasNext() {
                return made < ITEMS;
            }

            @Override
            public byte[] next() {
                byte[] message = new byte[SIZE];
                message[made % SIZE] = (byte) made++;
                return message;
            }
        };
    }

    @Benchmark
    public long relay() throws InterruptedException {
        LongAdder checksum = new LongAdder();
        BoundedPipeline.run(messages(), message -> message.length, message -> {
            long sum = 0;
            for (byte b : message) {
                sum = 31 * sum + b;
            }
            checksum.add(sum);
        }, limits(), Thread.ofPlatform().factory());
        return checksum.sum();
    }
}
