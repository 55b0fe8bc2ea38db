package parlab.lab;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** {@code ./lab COMMAND --help} describes the command, as {@code ./lab --help} describes the runner. */
class HelpTest {
    @Test
    void everyCommandAnswersHelp() {
        CommandLine lab = Main.commandLine(new Main());
        assertThat(lab.getSubcommands()).as("the runner's commands").isNotEmpty();
        for (String name : lab.getSubcommands().keySet()) {
            StringWriter out = new StringWriter();
            CommandLine line = Main.commandLine(new Main());
            line.setOut(new PrintWriter(out));
            assertThat(line.execute(name, "--help")).as("exit status of ./lab %s --help", name).isZero();
            assertThat(out.toString()).as("./lab %s --help", name).startsWith("Usage: lab " + name);
        }
    }
}
