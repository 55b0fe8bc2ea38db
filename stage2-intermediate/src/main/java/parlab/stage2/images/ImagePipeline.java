package parlab.stage2.images;

import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadFactory;

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
 * <p>Things to think about: three decoders finish at different times; which one sends the end-of-stream, and how
 * many pills? An encoder throws while the decoders are blocked on a full queue: who wakes them up? Which stage is
 * the slowest, and what do extra threads in any other stage buy you?
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
        // TODO: two bounded queues, each holding at most config.queueCapacity() images
        // TODO: decodeThreads threads share out the inputs, decode them and pass them on with their position
        // TODO: resizeThreads threads resize, encodeThreads threads encode into the output slot of that position
        // TODO: tell each downstream thread when its upstream stage has finished (all of its threads, not one)
        // TODO: when a stage function throws, stop every thread (also those blocked on a queue) and rethrow it
        // TODO: wait for every thread before returning or throwing
        throw new UnsupportedOperationException("TODO: process");
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
