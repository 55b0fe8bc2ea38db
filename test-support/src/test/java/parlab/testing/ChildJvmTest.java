package parlab.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Proves that {@link ChildJvm} runs a class of the test class path in a child JVM and leaves no child behind. */
class ChildJvmTest {

    @Test
    void aChildRunsAMainClassOfTheTestClassPathAndReportsItsExitStatus() throws Exception {
        try (ChildJvm child = ChildJvm.start(Echo.class, "hello", "7")) {
            assertThat(child.waitFor(Duration.ofSeconds(30))).as("exit status of the child").isEqualTo(7);
            assertThat(new String(child.process().getInputStream().readAllBytes(), StandardCharsets.UTF_8))
                    .as("what the child printed").isEqualTo("hello\n");
        }
    }

    @Test
    void closingAChildThatStillRunsEndsIt() throws Exception {
        ProcessHandle handle;
        try (ChildJvm child = ChildJvm.start(Echo.class, "sleep", "0")) {
            handle = child.process().toHandle();
            assertThat(handle.isAlive()).as("child alive before close").isTrue();
        }
        assertThat(handle.onExit().get().isAlive()).as("child alive after close").isFalse();
    }

    @Test
    void waitForFailsWhenTheChildOverrunsItsLimit() throws Exception {
        try (ChildJvm child = ChildJvm.start(Echo.class, "sleep", "0")) {
            assertThatThrownBy(() -> child.waitFor(Duration.ofMillis(50))).as("waitFor on a child that sleeps")
                    .isInstanceOf(AssertionError.class)
                    .hasMessageContaining("did not exit within PT0.05S");
        }
    }

    @Test
    void theCommandRunsTheMainClassOnThisClassPathAndLibraryPath() {
        List<String> command = ChildJvm.command(Echo.class, List.of("-Xmx64m"), "a", "b");
        assertThat(command).as("child command")
                .startsWith(ChildJvm.javaBinary().toString(),
                        "-Djava.library.path=" + System.getProperty("java.library.path"), "-Xmx64m", "-cp",
                        System.getProperty("java.class.path"))
                .endsWith(Echo.class.getName(), "a", "b");
    }

    /** {@code Echo <text> <status>} prints the text and exits with the status; {@code Echo sleep _} sleeps. */
    public static final class Echo {
        public static void main(String[] args) throws InterruptedException {
            if (args[0].equals("sleep")) {
                Thread.sleep(Duration.ofMinutes(1));
            }
            System.out.println(args[0]);
            System.exit(Integer.parseInt(args[1]));
        }
    }
}
