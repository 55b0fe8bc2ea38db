package parlab.stage2.images;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.zip.CRC32;
import javax.imageio.ImageIO;

/**
 * Image plumbing: seeded test pictures, PNG decoding and encoding with ImageIO, a Lanczos resize and a pixel
 * checksum. The same on both sides; none of it is shared mutable state, so any thread may call any of it.
 */
public final class Images {
    static {
        System.setProperty("java.awt.headless", "true"); // no display needed, none wanted
        ImageIO.setUseCache(false);                        // streams stay in memory, no temporary files
    }

    private Images() {
    }

    /** What the tests compare: the size of an encoded picture and a checksum of its pixels. */
    public record Summary(String name, int width, int height, long pixelChecksum) {
    }

    /** {@code count} pictures of {@code width x height}, named {@code img-0, img-1, ...}, the same for the same seed. */
    public static List<Picture> generate(int count, int width, int height, long seed) {
        List<Picture> pictures = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            pictures.add(new Picture("img-" + i, encode(picture(width, height, seed + i))));
        }
        return List.copyOf(pictures);
    }

    /** A gradient with seeded noise and a few rectangles: cheap to make, not trivial to compress. */
    public static BufferedImage picture(int width, int height, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        int[] rgb = new int[width * height];
        int hue = random.nextInt(256);
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                int r = (x * 255 / Math.max(1, width - 1) + hue) & 0xff;
                int g = (y * 255 / Math.max(1, height - 1)) & 0xff;
                int b = (hue + random.nextInt(48)) & 0xff;
                rgb[y * width + x] = (r << 16) | (g << 8) | b;
            }
        }
        for (int k = 0; k < 4; k++) {
            int x0 = random.nextInt(width);
            int y0 = random.nextInt(height);
            int x1 = Math.min(width, x0 + 1 + random.nextInt(Math.max(1, width / 3)));
            int y1 = Math.min(height, y0 + 1 + random.nextInt(Math.max(1, height / 3)));
            int colour = random.nextInt(0x1000000);
            for (int y = y0; y < y1; y++) {
                for (int x = x0; x < x1; x++) {
                    rgb[y * width + x] = colour;
                }
            }
        }
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        image.setRGB(0, 0, width, height, rgb, 0, width);
        return image;
    }

    /** PNG bytes to an image. */
    public static BufferedImage decode(byte[] png) {
        try {
            BufferedImage image = ImageIO.read(new ByteArrayInputStream(png));
            if (image == null) {
                throw new IllegalArgumentException("not an image ImageIO can read (" + png.length + " bytes)");
            }
            return image;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** An image to PNG bytes. */
    public static byte[] encode(BufferedImage image) {
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            if (!ImageIO.write(image, "png", out)) {
                throw new IllegalStateException("no PNG writer in this JDK");
            }
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * A separable Lanczos-3 resize to {@code width x height}: for every output pixel, a weighted sum of the input
     * pixels around it, first along rows, then along columns. Deterministic, and the CPU-heavy stage on purpose.
     */
    public static BufferedImage resize(BufferedImage source, int width, int height) {
        if (width < 1 || height < 1) {
            throw new IllegalArgumentException("target size must be at least 1x1, was " + width + "x" + height);
        }
        int sw = source.getWidth();
        int sh = source.getHeight();
        int[] in = source.getRGB(0, 0, sw, sh, null, 0, sw);
        float[][] across = new float[3][width * sh]; // rows resized, columns not yet
        Kernel horizontal = new Kernel(sw, width);
        for (int y = 0; y < sh; y++) {
            for (int x = 0; x < width; x++) {
                float r = 0;
                float g = 0;
                float b = 0;
                int first = horizontal.first[x];
                float[] w = horizontal.weights[x];
                for (int k = 0; k < w.length; k++) {
                    int p = in[y * sw + first + k];
                    r += w[k] * ((p >> 16) & 0xff);
                    g += w[k] * ((p >> 8) & 0xff);
                    b += w[k] * (p & 0xff);
                }
                across[0][y * width + x] = r;
                across[1][y * width + x] = g;
                across[2][y * width + x] = b;
            }
        }
        int[] out = new int[width * height];
        Kernel vertical = new Kernel(sh, height);
        for (int y = 0; y < height; y++) {
            int first = vertical.first[y];
            float[] w = vertical.weights[y];
            for (int x = 0; x < width; x++) {
                float r = 0;
                float g = 0;
                float b = 0;
                for (int k = 0; k < w.length; k++) {
                    int i = (first + k) * width + x;
                    r += w[k] * across[0][i];
                    g += w[k] * across[1][i];
                    b += w[k] * across[2][i];
                }
                out[y * width + x] = (clamp(r) << 16) | (clamp(g) << 8) | clamp(b);
            }
        }
        BufferedImage target = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        target.setRGB(0, 0, width, height, out, 0, width);
        return target;
    }

    /** CRC-32 of the RGB values of every pixel, row by row. */
    public static long pixelChecksum(BufferedImage image) {
        int w = image.getWidth();
        int h = image.getHeight();
        int[] rgb = image.getRGB(0, 0, w, h, null, 0, w);
        CRC32 crc = new CRC32();
        for (int p : rgb) {
            crc.update(p >>> 24);
            crc.update(p >>> 16);
            crc.update(p >>> 8);
            crc.update(p);
        }
        return crc.getValue();
    }

    /** The name, size and pixel checksum of an encoded picture. */
    public static Summary summary(Picture picture) {
        BufferedImage image = decode(picture.png());
        return new Summary(picture.name(), image.getWidth(), image.getHeight(), pixelChecksum(image));
    }

    private static int clamp(float value) {
        return Math.max(0, Math.min(255, Math.round(value)));
    }

    /** For each output position: the first input position it reads and the normalised weights from there on. */
    private static final class Kernel {
        private static final int LOBES = 3;
        final int[] first;
        final float[][] weights;

        Kernel(int from, int to) {
            double scale = (double) from / to;
            double support = LOBES * Math.max(1.0, scale);
            first = new int[to];
            weights = new float[to][];
            for (int o = 0; o < to; o++) {
                double centre = (o + 0.5) * scale;
                int lo = Math.max(0, (int) Math.floor(centre - support));
                int hi = Math.min(from - 1, (int) Math.ceil(centre + support));
                float[] w = new float[hi - lo + 1];
                double sum = 0;
                for (int i = lo; i <= hi; i++) {
                    double d = (i + 0.5 - centre) / Math.max(1.0, scale);
                    double v = lanczos(d);
                    w[i - lo] = (float) v;
                    sum += v;
                }
                for (int k = 0; k < w.length; k++) {
                    w[k] = (float) (w[k] / sum);
                }
                first[o] = lo;
                weights[o] = w;
            }
        }

        private static double lanczos(double x) {
            if (x == 0) {
                return 1;
            }
            if (Math.abs(x) >= LOBES) {
                return 0;
            }
            double px = Math.PI * x;
            return LOBES * Math.sin(px) * Math.sin(px / LOBES) / (px * px);
        }
    }
}
