package parlab.lab;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The runtime {@code ./lab run} starts programs on: this JDK without JFR, linked once, or this JDK itself. */
class RuntimeImageTest {
    @TempDir
    Path dir;

    @Test
    void everyModuleGoesInButJfrJlinkAndWhatNeedsThem() {
        assertThat(RuntimeImage.modules()).as("modules of the image")
                .contains("java.base", "java.sql", "java.management", "jdk.management", "jdk.httpserver",
                        "java.naming", "java.security.jgss", "jdk.unsupported", "jdk.localedata")
                .doesNotContain("jdk.jfr", "jdk.management.jfr", "jdk.jlink", "jdk.jpackage")
                .noneMatch(name -> name.startsWith("jdk.incubator."));
    }

    @Test
    @Timeout(value = 3, unit = TimeUnit.MINUTES)
    void theImageIsLinkedOnceHasNoJfrAndRunsJava() throws Exception {
        String java = RuntimeImage.java(dir);
        String jdkJava = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        if (java.equals(jdkJava)) {
            // a JDK that cannot link (no jmods, not a linkable run-time image): the program runs on it as before
            assertThat(Files.readString(dir.resolve("jlink.log"))).as("jlink's output, kept to say why").isNotBlank();
            return;
        }
        assertThat(Path.of(java)).as("the image's java").startsWith(dir.resolve("image"));
        Process modules = new ProcessBuilder(java, "--list-modules").redirectErrorStream(true).start();
        String listed = new String(modules.getInputStream().readAllBytes());
        assertThat(modules.waitFor(1, TimeUnit.MINUTES)).isTrue();
        assertThat(listed).as("modules of the image").contains("java.sql@").doesNotContain("jdk.jfr@");

        long modified = Files.getLastModifiedTime(Path.of(java)).toMillis();
        assertThat(RuntimeImage.java(dir)).as("the second time: the same image").isEqualTo(java);
        assertThat(Files.getLastModifiedTime(Path.of(java)).toMillis()).as("not linked again").isEqualTo(modified);
        try (var left = Files.list(dir)) {
            assertThat(left.map(p -> p.getFileName().toString()))
                    .as("what stays: the image, its key and jlink's log, no temporary folder")
                    .containsExactlyInAnyOrder("image", "image.key", "jlink.log");
        }
    }

    @Test
    void aJdkThatCouldNotLinkRunsProgramsItselfWithoutTryingAgain() throws Exception {
        // the key of this JDK without an image is what a failed link leaves
        Files.writeString(dir.resolve("image.key"), RuntimeImage.key(RuntimeImage.modules()));
        assertThat(RuntimeImage.java(dir)).isEqualTo(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString());
        assertThat(dir.resolve("image")).as("no link tried").doesNotExist();
    }
}
