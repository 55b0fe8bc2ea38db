package parlab.capstone.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static parlab.capstone.CliTest.run;

import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import parlab.capstone.CliTest.Outcome;
import parlab.capstone.ExitCode;

/**
 * {@code --help} and {@code --version}, plumbing the same in skeleton and solution (so it lives outside the
 * milestones' package): help lists every option and every exit code of {@link ExitCode} with its meaning.
 */
class HelpTest {
    @Test
    void helpListsEveryExitCodeWithItsMeaning() {
        Outcome help = run("--help");
        assertThat(help.code()).as("exit code of --help").isZero();
        assertThat(help.out()).as("--help").contains("Exit codes:").contains("--min-workers")
                .contains("--idle-timeout");
        for (ExitCode code : ExitCode.values()) {
            assertThat(help.out()).as("--help lists exit code %s", code)
                    .containsPattern("(?m)^\\s*" + code.code() + "\\s+" + Pattern.quote(code.meaning()));
        }
    }

    @Test
    void versionNamesTheProgramAndItsJava() {
        Outcome version = run("--version");
        assertThat(version.code()).as("exit code of --version").isZero();
        assertThat(version.out()).as("--version").startsWith("capstone").contains("Java " + Runtime.version());
    }
}
