package parlab.stage2.images;

import java.util.Arrays;
import java.util.Objects;

/**
 * An encoded image travelling through the pipeline: its name and its PNG bytes. Plumbing: the same on both sides.
 *
 * <p>The bytes are not copied: nobody may change the array once it is in a {@code Picture}.
 */
public record Picture(String name, byte[] png) {
    public Picture {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(png, "png");
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Picture that && name.equals(that.name) && Arrays.equals(png, that.png);
    }

    @Override
    public int hashCode() {
        return 31 * name.hashCode() + Arrays.hashCode(png);
    }

    @Override
    public String toString() {
        return "Picture[" + name + ", " + png.length + " bytes]";
    }
}
