package parlab.stage2.images;

import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * s2e08 · Image resizing pipeline.
 *
 * <p>A batch of pictures has to be made smaller: decode each PNG, resize it, encode it again. The three steps have
 * different costs, so instead of one pool doing all three for one picture at a time, build a <em>pipeline</em>:
 * one stage per step, each with its own threads, joined by bounded queues.
 * <pre>
 *   inputs ──▶ [decode × d] ──▶ queue(capacity) ──▶ [resize × r] ──▶ queue(capacity) ──▶ [encode × e] ──▶ outputs
 * </pre>
 * The queues decouple the stages and their bound is the pipeline's memory budget: a decoded 512x512 image is a
 * megabyte, and a decoder that runs ahead of a slow encoder must wait rather than fill the heap.
 *
 * <p>How does a stage with several threads learn that the stream has ended? Either each consumer gets a poison pill
 * of its own (the upstream stage puts as many pills as there are downstream threads, once <em>all</em> its threads
 * are done), or the stage counts down the upstream threads still running.
 *
 * <p>The contract of {@link #process}, which the tests pin down:
 * <ul>
 *   <li>the result has one picture per input, in the inputs' order, with the input's name, and equals what
 *       {@link #sequential} makes of the same inputs (same sizes, same pixels), for any thread counts;
 *   <li>it uses exactly {@code decodeThreads + resizeThreads + encodeThreads} threads, all made by the given
 *       {@link ThreadFactory}; a thread belongs to one stage and calls only that stage's function; the calling
 *       thread calls none;
 *   <li>each queue between two stages holds at most {@code queueCapacity} images, so at any moment at most
 *       {@code decodeThreads + resizeThreads + encodeThreads + 2 * queueCapacity} images are decoded but not yet
 *       encoded (one in the hands of each thread, the rest in the two queues), however slow the encoders are;
 *   <li>if a stage function throws, the pipeline stops: no thread is left blocked on a full or empty queue, no
 *       decoder starts another picture (one in the middle of a decode may finish it), and the caller gets that
 *       exception (the same object; the first one if several stages fail);
 *   <li>every thread it started has ended when it returns or throws, also for an empty input.
 * </ul>
 *
 * <p>Baseline experiment: {@link #sequential} is the one-thread loop. {@code ./lab bench image-pipeline} times the
 * pipeline with one and two resize threads on 32 pictures of 512x512.
 *
 * <p>Reference solution. All threads are made before any starts, so the list every thread may interrupt is complete
 * and published by {@code start()}. Decoders take positions from one {@link AtomicInteger}; items carry their
 * position through two {@link ArrayBlockingQueue}s; encoders write slot {@code position} of the output array, which
 * the caller reads after {@code join()} (a happens-before edge), so no lock guards it. Each stage counts its running
 * threads down: the thread that brings the count to 0 puts one pill per thread of the next stage. A failure is kept
 * in an {@link AtomicReference} (the first wins) and the failing thread interrupts all the others, whose blocking
 * {@code put}/{@code take} then throw {@link InterruptedException} and end them; the caller checks once more after
 * the last start, because an interrupt sent to a thread before it starts may be lost.
 *
 * <p>Other ways: one pool per stage ({@code Executors.newFixedThreadPool(n, factory)}, each stage submitting to the
 * next) needs no pills, but then the bound is the pools' work queues, which must be bounded too, with a rejection
 * policy that blocks; a {@code Phaser} or {@code CountDownLatch} per stage can replace the counters. Instead of
 * interrupts, every {@code put}/{@code take} can be an {@code offer}/{@code poll} with a timeout that checks a
 * "stopped" flag: simpler to reason about, but slower to react and busy when idle. Structured concurrency
 * ({@code StructuredTaskScope}, a preview in JDK 25) cancels the siblings of a failed subtask for you.
 */
public final class ImagePipeline {
    private ImagePipeline() {
    }

    /**
     * How many threads each stage gets and how many images each queue between two stages holds.
     */
    public record Config(int decodeThreads, int resizeThreads, int encodeThreads, int queueCapacity) {
        public Config {
            if (decodeThreads < 1 || resizeThreads < 1 || encodeThreads < 1) {
                throw new IllegalArgumentException("every stage needs at least 1 thread, was " + decodeThreads
                        + "/" + resizeThreads + "/" + encodeThreads);
            }
            if (queueCapacity < 1) {
                throw new IllegalArgumentException("queueCapacity must be at least 1, was " + queueCapacity);
            }
        }

        /** The most images that may be decoded but not yet encoded at any one time. */
        public int inFlightBound() {
            return decodeThreads + resizeThreads + encodeThreads + 2 * queueCapacity;
        }
    }

    /**
     * Decodes, resizes and encodes every input through a three-stage pipeline whose threads come from
     * {@code factory}.
     *
     * @return one output per input, in the inputs' order, each with its input's name
     * @throws InterruptedException if the calling thread is interrupted; the pipeline's threads have ended by then
     */
    public static List<Picture> process(List<Picture> inputs, Stages stages, Config config, ThreadFactory factory)
            throws InterruptedException {
        Objects.requireNonNull(inputs, "inputs");
        Objects.requireNonNull(stages, "stages");
        Run run = new Run(inputs, stages, config);
        List<Thread> threads = new ArrayList<>(config.decodeThreads() + config.resizeThreads()
                + config.encodeThreads());
        for (int i = 0; i < config.decodeThreads(); i++) {
            threads.add(factory.newThread(run.guarded(run::decode)));
        }
        for (int i = 0; i < config.resizeThreads(); i++) {
            threads.add(factory.newThread(run.guarded(run::resize)));
        }
        for (int i = 0; i < config.encodeThreads(); i++) {
            threads.add(factory.newThread(run.guarded(run::encode)));
        }
        run.threads = List.copyOf(threads); // published to the workers by start()
        for (Thread thread : run.threads) {
            thread.start();
        }
        if (run.failure.get() != null) {
            run.stop(); // a worker failed before the last thread started: make sure every thread hears of it
        }
        try {
            for (Thread thread : run.threads) {
                thread.join();
            }
        } catch (InterruptedException e) {
            run.stop();
            joinUninterruptibly(run.threads);
            throw e;
        }
        Throwable failure = run.failure.get();
        if (failure instanceof RuntimeException unchecked) {
            throw unchecked;
        }
        if (failure instanceof Error error) {
            throw error;
        }
        if (failure != null) {
            throw new IllegalStateException("a pipeline stage failed", failure);
        }
        return Arrays.asList(run.outputs); // every slot was written by an encoder before its thread ended
    }

    /** An image on its way, with the position of the input it came from. */
    private record Item(int index, BufferedImage image) {
    }

    /** A stage's work, which ends early by InterruptedException when the pipeline is stopped. */
    private interface Work {
        void run() throws InterruptedException;
    }

    /** The state of one call of {@link #process}: the queues, the counters and the first failure. */
    private static final class Run {
        /** End of stream; compared with ==, so no real item can be mistaken for it. */
        private static final Item END = new Item(-1, null);

        private final List<Picture> inputs;
        private final Stages stages;
        private final Config config;
        private final BlockingQueue<Item> decoded;
        private final BlockingQueue<Item> resized;
        private final AtomicInteger nextInput = new AtomicInteger();
        private final AtomicInteger decodersLeft;
        private final AtomicInteger resizersLeft;
        private final Picture[] outputs;                   // slot i written by one encoder, read after join
        private final AtomicReference<Throwable> failure = new AtomicReference<>();
        private List<Thread> threads;                      // set before any thread starts, never changed

        Run(List<Picture> inputs, Stages stages, Config config) {
            this.inputs = List.copyOf(inputs);
            this.stages = stages;
            this.config = config;
            this.decoded = new ArrayBlockingQueue<>(config.queueCapacity());
            this.resized = new ArrayBlockingQueue<>(config.queueCapacity());
            this.decodersLeft = new AtomicInteger(config.decodeThreads());
            this.resizersLeft = new AtomicInteger(config.resizeThreads());
            this.outputs = new Picture[inputs.size()];
        }

        void decode() throws InterruptedException {
            for (int i = nextInput.getAndIncrement(); i < inputs.size() && failure.get() == null;
                    i = nextInput.getAndIncrement()) {
                decoded.put(new Item(i, stages.decode().apply(inputs.get(i).png())));
            }
            if (decodersLeft.decrementAndGet() == 0) { // the last decoder out tells every resizer
                for (int k = 0; k < config.resizeThreads(); k++) {
                    decoded.put(END);
                }
            }
        }

        void resize() throws InterruptedException {
            for (Item item = decoded.take(); item != END; item = decoded.take()) {
                resized.put(new Item(item.index(), stages.resize().apply(item.image())));
            }
            if (resizersLeft.decrementAndGet() == 0) { // the last resizer out tells every encoder
                for (int k = 0; k < config.encodeThreads(); k++) {
                    resized.put(END);
                }
            }
        }

        void encode() throws InterruptedException {
            for (Item item = resized.take(); item != END; item = resized.take()) {
                outputs[item.index()] = new Picture(inputs.get(item.index()).name(),
                        stages.encode().apply(item.image()));
            }
        }

        /** Runs {@code work}; a failure is kept (the first one wins) and stops every other thread. */
        Runnable guarded(Work work) {
            return () -> {
                try {
                    work.run();
                } catch (InterruptedException stopped) {
                    // stopped by another stage's failure or by the caller: the thread just ends
                } catch (Throwable t) {
                    if (failure.compareAndSet(null, t)) {
                        stop();
                    }
                }
            };
        }

        /** Interrupts every thread of the pipeline, so that none stays blocked on a queue. */
        void stop() {
            for (Thread thread : threads) {
                if (thread != Thread.currentThread()) {
                    thread.interrupt();
                }
            }
        }
    }

    private static void joinUninterruptibly(List<Thread> threads) {
        boolean interrupted = false;
        for (Thread thread : threads) {
            while (true) {
                try {
                    thread.join();
                    break;
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /** The baseline: decode, resize and encode each picture in turn, on the calling thread. */
    public static List<Picture> sequential(List<Picture> inputs, Stages stages) {
        List<Picture> outputs = new ArrayList<>(inputs.size());
        for (Picture input : inputs) {
            BufferedImage decoded = stages.decode().apply(input.png());
            BufferedImage resized = stages.resize().apply(decoded);
            outputs.add(new Picture(input.name(), stages.encode().apply(resized)));
        }
        return outputs;
    }
}
