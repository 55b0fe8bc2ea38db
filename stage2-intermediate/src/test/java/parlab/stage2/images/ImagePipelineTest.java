package parlab.stage2.images;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.awt.image.BufferedImage;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import parlab.stage2.images.ImagePipeline.Config;
import parlab.testing.ThreadDumps;
import parlab.testing.Threads;

class ImagePipelineTest {
    private static final Duration PATIENCE = Duration.ofSeconds(5);
    /** Small pictures keep the suite fast; the benchmark uses big ones. */
    private static final List<Picture> INPUTS = Images.generate(24, 48, 36, 2026);
    private static final Stages REAL = Stages.resizingTo(20, 15);
    private static final List<Images.Summary> EXPECTED = summaries(ImagePipeline.sequential(INPUTS, REAL));

    /** A factory that remembers every thread it made. */
    static final class RecordingFactory implements ThreadFactory {
        final List<Thread> made = new CopyOnWriteArrayList<>();

        @Override
        public Thread newThread(Runnable task) {
            Thread thread = new Thread(task, "pipeline-" + made.size());
            made.add(thread);
            return thread;
        }
    }

    /**
     * The real stages, wrapped: they record which threads call them, count the images decoded but not yet encoded
     * (and the most there ever were), let the encoders wait at a gate, can hold every decode at a gate until the test
     * hands out a permit, and can throw on the n-th call of one stage.
     */
    static final class Probe {
        final Set<Thread> decoders = ConcurrentHashMap.newKeySet();
        final Set<Thread> resizers = ConcurrentHashMap.newKeySet();
        final Set<Thread> encoders = ConcurrentHashMap.newKeySet();
        final AtomicInteger decodes = new AtomicInteger();
        final AtomicInteger resizes = new AtomicInteger();
        final AtomicInteger encodes = new AtomicInteger();
        final AtomicInteger inFlight = new AtomicInteger();
        final AtomicInteger mostInFlight = new AtomicInteger();
        final CountDownLatch encodeGate;
        /** Permits to start a decode, handed out by the test; null when decodes are not held. */
        Semaphore decodePermits;
        /** Decoder threads held at the gate: inside a decode call that cannot go on without a permit. */
        final Set<Thread> heldDecoders = ConcurrentHashMap.newKeySet();
        /** Opened when the failing stage throws. */
        final CountDownLatch failed = new CountDownLatch(1);
        String failingStage = "";
        int failOnCall;
        RuntimeException failure;

        Probe(boolean holdEncoders) {
            encodeGate = new CountDownLatch(holdEncoders ? 1 : 0);
        }

        Probe failing(String stage, int onCall, RuntimeException failure) {
            this.failingStage = stage;
            this.failOnCall = onCall;
            this.failure = failure;
            return this;
        }

        /**
         * Holds every decode call at a gate until it gets a permit; {@code permits} are handed out at once. A decoder
         * held there is in the middle of its stage function: like a long ImageIO decode, the gate does not answer
         * an interrupt (it keeps waiting and returns with the interrupt status set).
         */
        Probe decodingAtMost(int permits) {
            this.decodePermits = new Semaphore(permits);
            return this;
        }

        Stages stages() {
            Function<byte[], BufferedImage> decode = png -> {
                if (decodePermits != null) {
                    heldDecoders.add(Thread.currentThread());
                    try {
                        decodePermits.acquireUninterruptibly();
                    } finally {
                        heldDecoders.remove(Thread.currentThread());
                    }
                }
                call("decode", decoders, decodes);
                BufferedImage image = REAL.decode().apply(png);
                mostInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
                return image;
            };
            UnaryOperator<BufferedImage> resize = image -> {
                call("resize", resizers, resizes);
                return REAL.resize().apply(image);
            };
            Function<BufferedImage, byte[]> encode = image -> {
                awaitUninterruptibly(encodeGate);
                call("encode", encoders, encodes);
                byte[] png = REAL.encode().apply(image);
                inFlight.decrementAndGet();
                return png;
            };
            return new Stages(decode, resize, encode);
        }

        private void call(String stage, Set<Thread> callers, AtomicInteger calls) {
            callers.add(Thread.currentThread());
            if (calls.incrementAndGet() == failOnCall && stage.equals(failingStage)) {
                failed.countDown();
                throw failure;
            }
        }
    }

    @ParameterizedTest(name = "{0} decoders, {1} resizers, {2} encoders, queues of {3}, {4} pictures")
    @CsvSource({"1, 1, 1, 1, 24", "2, 2, 2, 2, 24", "1, 3, 2, 1, 24", "3, 1, 1, 4, 24", "2, 3, 4, 8, 24",
            "3, 3, 3, 1, 2", "1, 1, 1, 1, 1"})
    void theOutputEqualsTheSequentialRun(int d, int r, int e, int capacity, int pictures) throws Throwable {
        RecordingFactory factory = new RecordingFactory();
        List<Picture> inputs = INPUTS.subList(0, pictures);
        List<Picture> outputs = processWithin(factory, "processing " + pictures + " pictures",
                () -> ImagePipeline.process(inputs, REAL, new Config(d, r, e, capacity), factory));
        assertThat(summaries(outputs))
                .as("name, size and pixel checksum of each output, in the inputs' order, against the sequential run")
                .isEqualTo(EXPECTED.subList(0, pictures));
        assertThat(outputs).as("the encoded bytes, against the sequential run")
                .isEqualTo(ImagePipeline.sequential(inputs, REAL));
        assertThat(factory.made).as("threads alive after process returned: join every thread you start")
                .noneMatch(Threads::stillAlive);
    }

    @Test
    void anEmptyInputEndsAtOnceAndStopsEveryThread() throws Throwable {
        RecordingFactory factory = new RecordingFactory();
        List<Picture> outputs = processWithin(factory,
                "processing no picture at all: does every resizer and encoder hear that the stream has ended?",
                () -> ImagePipeline.process(List.of(), REAL, new Config(2, 3, 2, 1), factory));
        assertThat(outputs).as("outputs for no input").isEmpty();
        assertThat(factory.made).as("threads made for 2 + 3 + 2 stage threads").hasSize(7)
                .as("threads alive after process returned").noneMatch(Threads::stillAlive);
    }

    @Test
    void eachStageRunsOnItsOwnThreadsFromTheFactory() throws Throwable {
        RecordingFactory factory = new RecordingFactory();
        Probe probe = new Probe(false);
        processWithin(factory, "processing 24 pictures",
                () -> ImagePipeline.process(INPUTS, probe.stages(), new Config(2, 3, 2, 2), factory));
        assertThat(factory.made).as("threads made by the factory for 2 decoders, 3 resizers and 2 encoders")
                .hasSize(7);
        assertThat(probe.decoders).as("threads that decoded (at most the 2 decoders, all from the factory)")
                .isNotEmpty().hasSizeLessThanOrEqualTo(2).allMatch(factory.made::contains);
        assertThat(probe.resizers).as("threads that resized (at most the 3 resizers, all from the factory)")
                .isNotEmpty().hasSizeLessThanOrEqualTo(3).allMatch(factory.made::contains)
                .as("a thread belongs to one stage: resizers that also decoded")
                .doesNotContainAnyElementsOf(probe.decoders);
        assertThat(probe.encoders).as("threads that encoded (at most the 2 encoders, all from the factory)")
                .isNotEmpty().hasSizeLessThanOrEqualTo(2).allMatch(factory.made::contains)
                .as("a thread belongs to one stage: encoders that also decoded or resized")
                .doesNotContainAnyElementsOf(probe.decoders).doesNotContainAnyElementsOf(probe.resizers);
        assertThat(List.of(probe.decodes.get(), probe.resizes.get(), probe.encodes.get()))
                .as("calls of decode, resize and encode for 24 pictures: each exactly once per picture")
                .containsExactly(24, 24, 24);
        assertThat(factory.made).as("threads alive after process returned").noneMatch(Threads::stillAlive);
    }

    @ParameterizedTest(name = "{0} decoders, {1} resizers, {2} encoders, queues of {3}")
    @CsvSource({"1, 1, 1, 1", "2, 2, 1, 2", "1, 2, 2, 3", "3, 1, 1, 1"})
    void imagesInFlightAreBoundedWhenTheEncodersAreSlow(int d, int r, int e, int capacity) throws Throwable {
        Config config = new Config(d, r, e, capacity);
        int bound = config.inFlightBound();
        RecordingFactory factory = new RecordingFactory();
        Probe probe = new Probe(true); // the encoders wait at the gate until the test opens it
        FutureTask<List<Picture>> call = new FutureTask<>(
                () -> ImagePipeline.process(INPUTS, probe.stages(), config, factory));
        Thread caller = Thread.ofPlatform().name("pipeline-caller").start(call);
        try {
            // with the encoders held, a bounded pipeline fills up to exactly `bound` images and then every one of
            // its threads waits: decoders and resizers on a full queue, encoders at the gate
            await("the pipeline to fill up while the encoders are held").atMost(PATIENCE).until(() ->
                    call.isDone() || probe.inFlight.get() > bound
                            || probe.inFlight.get() == bound && factory.made.size() == d + r + e
                            && factory.made.stream().allMatch(t -> t.getState() == Thread.State.WAITING
                                    || t.getState() == Thread.State.TIMED_WAITING));
        } catch (ConditionTimeoutException stuck) {
            caller.interrupt();
            factory.made.forEach(Thread::interrupt);
            throw new AssertionError(("with the encoders held, the pipeline stopped at %d images decoded but not "
                    + "yet encoded instead of filling up to %d (%d decoders + %d resizers + %d encoders, each holding "
                    + "one, and two queues of %d): does each queue hold queueCapacity images?")
                    .formatted(probe.inFlight.get(), bound, d, r, e, capacity));
        } finally {
            probe.encodeGate.countDown();
        }
        List<Picture> outputs = resultWithin(call, caller, factory,
                "the encoders were let go: did every stage hear that the stream had ended, once all of its "
                        + "upstream threads were done?");
        assertThat(probe.mostInFlight.get())
                .as("most images decoded but not yet encoded: at most one per thread (%d) plus two queues of %d; "
                        + "more means the decoders ran ahead of the held encoders (an unbounded queue?)",
                        d + r + e, capacity)
                .isLessThanOrEqualTo(bound);
        assertThat(summaries(outputs)).as("outputs once the encoders were let go").isEqualTo(EXPECTED);
        assertThat(factory.made).as("threads alive after process returned").noneMatch(Threads::stillAlive);
    }

    /**
     * The failing stage throws on its 3rd call, and the test lets exactly 3 decodes start before that, so the count
     * of pictures decoded after the failure does not depend on how the threads were scheduled. Once the failing
     * stage has thrown, the test waits until every pipeline thread has either ended or is held in the middle of a
     * decode (a stopped pipeline); only then does it hand out permits for every picture. A held decoder may finish
     * the picture it is on, but a pipeline that stopped starts no other: so exactly
     * {@code 3 + (decoders held when the pipeline had stopped)} decodes may have started in all, however loaded the
     * machine is. A pipeline that keeps working after a failure is caught either way: its other threads keep
     * waiting for work (they never end), or, let go, its decoders go through all 24 pictures.
     */
    @ParameterizedTest(name = "{0} fails")
    @ValueSource(strings = {"decode", "resize", "encode"})
    void aFailingStageStopsThePipelineWithItsException(String stage) throws Throwable {
        Config config = new Config(2, 2, 2, 1);
        int threads = config.decodeThreads() + config.resizeThreads() + config.encodeThreads();
        int beforeFailure = 3; // just what the failing stage needs to reach its 3rd call
        RecordingFactory factory = new RecordingFactory();
        IllegalStateException boom = new IllegalStateException(stage + " failed on its 3rd picture");
        Probe probe = new Probe(false).failing(stage, beforeFailure, boom).decodingAtMost(beforeFailure);
        FutureTask<List<Picture>> call = new FutureTask<>(
                () -> ImagePipeline.process(INPUTS, probe.stages(), config, factory));
        Thread caller = Thread.ofPlatform().name("pipeline-caller").start(call);
        int heldWhenStopped;
        try {
            awaitOrFail(() -> call.isDone() || probe.failed.getCount() == 0, caller, factory,
                    "the %d pictures the test let the decoders start never brought %s to its %drd call"
                            .formatted(beforeFailure, stage, beforeFailure));
            awaitOrFail(() -> call.isDone() || factory.made.size() == threads && factory.made.stream()
                            .allMatch(t -> t.getState() == Thread.State.TERMINATED || probe.heldDecoders.contains(t)),
                    caller, factory, ("%s threw, but the pipeline did not stop: these threads neither ended nor were "
                            + "held in the middle of a decode (a failure must stop every stage, also the threads "
                            + "waiting on a queue for work that will never come)").formatted(stage));
            heldWhenStopped = probe.heldDecoders.size();
        } finally {
            probe.decodePermits.release(INPUTS.size()); // enough for every picture: nothing stays held at the gate
        }
        assertThatThrownBy(() -> resultWithin(call, caller, factory,
                stage + " threw and the held decoders were let go: is a thread still blocked on a full queue nobody "
                        + "takes from, or on an empty queue nobody will fill?"))
                .as("the exception the %s stage threw, rethrown to the caller as it is", stage)
                .isSameAs(boom);
        assertThat(factory.made).as("threads made").hasSize(threads)
                .as("threads alive after the failure").noneMatch(Threads::stillAlive);
        assertThat(probe.decodes.get())
                .as("decodes started in all: %d let through before %s failed on its 3rd call, plus at most the %d "
                        + "decoder(s) held in the middle of a decode when the pipeline had stopped, which may finish "
                        + "that picture; any more means a decoder took a new picture after the failure (the "
                        + "pipeline must stop, not work through all %d)", beforeFailure, stage, heldWhenStopped,
                        INPUTS.size())
                .isLessThanOrEqualTo(beforeFailure + heldWhenStopped);
    }

    @Test
    void threadsFailingAtOnceStillEndThePipelineWithTheFirstFailure() throws Throwable {
        RecordingFactory factory = new RecordingFactory();
        IllegalStateException resizeFailed = new IllegalStateException("resize failed");
        Stages stages = new Stages(REAL.decode(), image -> {
            throw resizeFailed;
        }, REAL.encode());
        assertThatThrownBy(() -> processWithin(factory, "every resize threw, on 3 resizer threads",
                () -> ImagePipeline.process(INPUTS, stages, new Config(1, 3, 2, 1), factory)))
                .as("the resizers' exception, rethrown as it is")
                .isSameAs(resizeFailed);
        assertThat(factory.made).as("threads alive after the failure").hasSize(6).noneMatch(Threads::stillAlive);
    }

    private static List<Images.Summary> summaries(List<Picture> pictures) {
        assertThat(pictures).as("outputs: one per input, none missing (a null slot is a picture never encoded)")
                .doesNotContainNull();
        return pictures.stream().map(Images::summary).toList();
    }

    /**
     * Calls process on a thread of its own and fails with a description of the stuck threads if it has not
     * returned within {@link #PATIENCE}; the stuck threads are then interrupted, so that they do not linger.
     */
    private static List<Picture> processWithin(RecordingFactory factory, String whyItMayHang,
            Callable<List<Picture>> process) throws Throwable {
        FutureTask<List<Picture>> call = new FutureTask<>(process);
        Thread caller = Thread.ofPlatform().name("pipeline-caller").start(call);
        return resultWithin(call, caller, factory, whyItMayHang);
    }

    /**
     * The result of {@code call}, running on {@code caller}; fails with a description of the stuck threads if it has
     * not returned within {@link #PATIENCE}, and then interrupts them, so that they do not linger.
     */
    private static List<Picture> resultWithin(FutureTask<List<Picture>> call, Thread caller,
            RecordingFactory factory, String whyItMayHang) throws Throwable {
        try {
            List<Picture> result = call.get(PATIENCE.toMillis(), TimeUnit.MILLISECONDS);
            caller.join();
            return result;
        } catch (ExecutionException e) {
            caller.join();
            throw e.getCause();
        } catch (TimeoutException e) {
            String stacks = factory.made.stream().filter(Thread::isAlive).map(ThreadDumps::stack)
                    .collect(Collectors.joining());
            caller.interrupt();
            factory.made.forEach(Thread::interrupt);
            throw new AssertionError("process(...) had not returned " + PATIENCE.toSeconds() + " s after "
                    + whyItMayHang + "\nWhere the pipeline's threads stood:\n" + stacks);
        }
    }

    /**
     * Waits up to {@link #PATIENCE} for {@code condition}; if it does not come, interrupts the caller and the
     * pipeline's threads (so that they do not linger) and fails with {@code what} and where the threads stood.
     */
    private static void awaitOrFail(Callable<Boolean> condition, Thread caller, RecordingFactory factory,
            String what) {
        try {
            await(what).atMost(PATIENCE).until(condition);
        } catch (ConditionTimeoutException timeout) {
            String stacks = factory.made.stream().filter(Thread::isAlive).map(ThreadDumps::stack)
                    .collect(Collectors.joining());
            caller.interrupt();
            factory.made.forEach(Thread::interrupt);
            throw new AssertionError(PATIENCE.toSeconds() + " s on, " + what
                    + "\nWhere the pipeline's threads stood:\n" + stacks);
        }
    }

    private static void awaitUninterruptibly(CountDownLatch latch) {
        boolean interrupted = false;
        while (true) {
            try {
                latch.await();
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}
