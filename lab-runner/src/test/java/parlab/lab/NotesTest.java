package parlab.lab;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import parlab.testing.IgnoreThreads;

/**
 * A note's script is proven by running it; each way it can break is reported, not passed. JShell keeps one
 * unnamed worker thread for the life of the JVM once it has compiled a snippet, hence the exemption.
 */
@IgnoreThreads("Thread-")
class NotesTest {
    @TempDir
    Path dir;

    private Notes.Result run(String script) throws IOException {
        Path file = dir.resolve("note.jsh");
        Files.writeString(file, script);
        return Notes.run(file);
    }

    @Test
    void aScriptThatRunsPasses() throws IOException {
        Notes.Result result = run("""
                // a note
                int twice(int x) { return 2 * x; }
                System.out.println("twice 21 is " + twice(21));
                /exit
                """);
        assertThat(result.problem()).isNull();
        assertThat(result.output()).contains("twice 21 is 42");
    }

    @Test
    void aFailedClaimFailsTheNote() throws IOException {
        Notes.Result result = run("""
                void check(boolean ok, String what) { if (!ok) throw new AssertionError(what); }
                check(1 + 1 == 3, "arithmetic still works");
                """);
        assertThat(result.ok()).isFalse();
        assertThat(result.problem()).contains("AssertionError").contains("arithmetic still works");
    }

    @Test
    void aSnippetThatDoesNotCompileFailsTheNote() throws IOException {
        Notes.Result result = run("""
                int x = "not a number";
                """);
        assertThat(result.ok()).isFalse();
        assertThat(result.problem()).contains("does not compile").contains("int x");
    }
}
