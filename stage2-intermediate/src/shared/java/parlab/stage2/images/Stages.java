package parlab.stage2.images;

import java.awt.image.BufferedImage;
import java.util.Objects;
import java.util.function.Function;
import java.util.function.UnaryOperator;

/**
 * The three steps the pipeline runs on every picture, each one a stage of its own. Plumbing: the same on both sides.
 * Tests wrap them to count calls, to hold a stage back or to make one fail.
 *
 * @param decode PNG bytes to pixels
 * @param resize pixels to smaller pixels
 * @param encode pixels to PNG bytes
 */
public record Stages(Function<byte[], BufferedImage> decode, UnaryOperator<BufferedImage> resize,
        Function<BufferedImage, byte[]> encode) {
    public Stages {
        Objects.requireNonNull(decode, "decode");
        Objects.requireNonNull(resize, "resize");
        Objects.requireNonNull(encode, "encode");
    }

    /** The real thing: ImageIO decoding, a Lanczos resize to {@code width x height}, ImageIO encoding. */
    public static Stages resizingTo(int width, int height) {
        return new Stages(Images::decode, image -> Images.resize(image, width, height), Images::encode);
    }
}
