package parlab.lab;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.jar.JarFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The program jar of {@code ./lab run} stays byte for byte and time for time the same while its classes do (an AOT
 * cache is valid only for the jar it was trained with), and a learner's run never waits for a training.
 */
class RunCacheTest {
    @TempDir
    Path dir;

    @Test
    void theJarIsRewrittenOnlyWhenItsContentChangesAndTheFirstOfTwoSameNamedEntriesWins() throws Exception {
        Path classes = Files.createDirectories(dir.resolve("classes/p"));
        Path resources = Files.createDirectories(dir.resolve("resources/p"));
        Files.writeString(classes.resolve("A.class"), "a");
        Files.writeString(resources.resolve("A.class"), "shadowed");
        Files.writeString(resources.resolve("r.txt"), "r");
        List<Path> dirs = List.of(dir.resolve("classes"), dir.resolve("resources"), dir.resolve("missing"));
        Path jar = RunCache.jar(dir.resolve("out/run.jar"), dirs);
        byte[] first = Files.readAllBytes(jar);
        Files.setLastModifiedTime(jar, FileTime.fromMillis(1_000_000_000L));

        RunCache.jar(jar, dirs);
        assertThat(Files.getLastModifiedTime(jar).toMillis()).as("time of a jar whose content did not change")
                .isEqualTo(1_000_000_000L);
        assertThat(Files.readAllBytes(jar)).as("bytes of the jar made again").isEqualTo(first);
        try (JarFile read = new JarFile(jar.toFile())) {
            assertThat(new String(read.getInputStream(read.getEntry("p/A.class")).readAllBytes()))
                    .as("an entry in two folders: the first folder's, as on a class path").isEqualTo("a");
            assertThat(read.getEntry("p/r.txt")).as("a resource").isNotNull();
        }

        Files.writeString(classes.resolve("A.class"), "a, edited");
        RunCache.jar(jar, dirs);
        assertThat(Files.getLastModifiedTime(jar).toMillis()).as("time of the jar after a class changed")
                .isNotEqualTo(1_000_000_000L);
        assertThat(Files.readAllBytes(jar)).as("bytes of the jar after a class changed").isNotEqualTo(first);
    }

    @Test
    void withoutLeaveToTrainAnUntrainedCacheGivesNoFlagsAndStartsNothing() throws Exception {
        Path jar = RunCache.jar(dir.resolve("run.jar"), List.of());
        List<String> command = List.of("java", "-cp", jar.toString(), "Main");
        assertThat(RunCache.flags(command, dir.resolve("run.jar.aot"), jar, false)).as("flags").isEmpty();
        assertThat(dir.resolve("training")).as("no training run").doesNotExist();
        assertThat(dir.resolve("run.jar.aot.key")).as("no key recorded").doesNotExist();
    }
}
