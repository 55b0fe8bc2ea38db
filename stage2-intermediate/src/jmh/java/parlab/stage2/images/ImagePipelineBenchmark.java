package parlab.stage2.images;

import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * s2e08 · Where do extra threads help in a pipeline?
 *
 * <p>32 pictures of 512x512 go through decode (ImageIO), a Lanczos resize to 128x128 and encode (ImageIO), with one
 * decoder, one encoder and 1 or 2 resizers, queues of 4. The resize is the heaviest stage, so it sets the pace:
 * {@code ./lab bench image-pipeline} prints the time per batch (seconds: each operation is a whole batch) and the
 * speedup over one resizer. On 2 cores expect about 1.3x to 1.6x for 2 resizers, not 2x: the decoder and the encoder
 * need the same cores. A thread added to a stage that is not the slowest one buys nothing, which you can try by
 * changing the config below; on a busy machine the numbers mean little.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 1, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(1)
public class ImagePipelineBenchmark {
    @Param({"1", "2"})
    public int resizeThreads;

    private List<Picture> pictures;
    private Stages stages;

    @Setup(Level.Trial)
    public void makePictures() {
        pictures = Images.generate(32, 512, 512, 42);
        stages = Stages.resizingTo(128, 128);
    }

    @Benchmark
    public List<Picture> pipeline() throws InterruptedException {
        return ImagePipeline.process(pictures, stages, new ImagePipeline.Config(1, resizeThreads, 1, 4),
                Thread.ofPlatform().factory());
    }
}
