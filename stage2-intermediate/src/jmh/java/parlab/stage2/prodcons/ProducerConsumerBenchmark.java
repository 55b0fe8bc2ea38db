package parlab.stage2.prodcons;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.LinkedTransferQueue;
import java.util.concurrent.TimeUnit;
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
 * s2e10 · What does the queue itself cost?
 *
 * <p>One producer (the benchmark thread) hands {@value #ITEMS} items to one consumer thread, then a pill; an
 * operation ends when the consumer has taken the pill. The same exchange through an {@code ArrayBlockingQueue} (one
 * lock for both ends), a {@code LinkedBlockingQueue} (a lock per end, a node per item), a
 * {@code LinkedTransferQueue} (lock-free, unbounded) and {@link SpscRing} (lock-free, one producer and one consumer
 * only, spins instead of parking), all bounded at 1024 except the transfer queue. {@code ./lab bench
 * producer-consumer} prints the time per operation and the speedup over {@code ArrayBlockingQueue}.
 *
 * <p>What to expect depends on whether two cores are free. With both free, the ring is usually the fastest by a
 * wide margin (no lock, no parking: the consumer spins while the producer writes), and the three
 * {@code BlockingQueue}s land within a small factor of each other, most of their cost being threads parking and
 * waking when the queue runs empty or full ({@code LinkedBlockingQueue}'s two locks let both ends work at once). On a
 * busy machine the ring's spinning steals the very core the other side needs and it can come last. Each operation
 * also starts the consumer thread (some tens of microseconds), the same for every queue.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class ProducerConsumerBenchmark {
    static final int ITEMS = 20_000;
    private static final int CAPACITY = 1024;
    private static final Object END = new Object();

    @Param({"ArrayBlockingQueue", "LinkedBlockingQueue", "LinkedTransferQueue", "SpscRing"})
    public String queue;

    /** The two ends of whichever queue is measured. */
    private interface Channel {
        void put(Object item) throws InterruptedException;

        Object take() throws InterruptedException;
    }

    private Channel channel() {
        if (queue.equals("SpscRing")) {
            SpscRing<Object> ring = new SpscRing<>(CAPACITY);
            return new Channel() {
                @Override
                public void put(Object item) {
                    ring.put(item);
                }

                @Override
                public Object take() {
                    return ring.take();
                }
            };
        }
        BlockingQueue<Object> blocking = switch (queue) {
            case "ArrayBlockingQueue" -> new ArrayBlockingQueue<>(CAPACITY);
            case "LinkedBlockingQueue" -> new LinkedBlockingQueue<>(CAPACITY);
            case "LinkedTransferQueue" -> new LinkedTransferQueue<>();
            default -> throw new IllegalArgumentException("unknown queue " + queue);
        };
        return new Channel() {
            @Override
            public void put(Object item) throws InterruptedException {
                blocking.put(item);
            }

            @Override
            public Object take() throws InterruptedException {
                return blocking.take();
            }
        };
    }

    @Benchmark
    public long transfer() throws InterruptedException {
        Channel channel = channel();
        long[] sum = new long[1]; // written by the consumer, read after join
        Thread consumer = Thread.ofPlatform().start(() -> {
            try {
                long s = 0;
                for (Object item = channel.take(); item != END; item = channel.take()) {
                    s += ((Item) item).payload();
                }
                sum[0] = s;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        for (int i = 0; i < ITEMS; i++) {
            channel.put(new Item(0, i, i));
        }
        channel.put(END);
        consumer.join();
        return sum[0];
    }
}
