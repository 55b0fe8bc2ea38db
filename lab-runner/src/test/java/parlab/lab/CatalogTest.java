package parlab.lab;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CatalogTest {
    @TempDir
    Path dir;

    @Test
    void theWorkbooksCatalogIsComplete() {
        Catalog catalog = Catalog.load(Path.of("..", "exercises.toml"));
        assertThat(catalog.all()).as("exercises in exercises.toml").isNotEmpty();
        var codes = new HashSet<String>();
        for (Exercise e : catalog.all()) {
            assertThat(e.code()).as("code of %s", e.id()).matches("s\\de\\d\\d|c\\d\\d");
            assertThat(codes.add(e.code())).as("%s appears once", e.code()).isTrue();
            assertThat(e.hints()).as("hints of %s", e.id()).isNotEmpty();
            assertThat(Path.of("..", e.note())).as("note of %s", e.id()).isRegularFile();
        }
        assertThat(catalog.find("s1e01")).isEqualTo(catalog.find("parallel-loops")).isPresent();
    }

    @Test
    void aTypoInAFieldNameIsAnErrorThatNamesIt() throws IOException {
        Path file = dir.resolve("exercises.toml");
        Files.writeString(file, """
                [[exercise]]
                id = "x"
                code = "s1e01"
                module = "m"
                package = "p"
                title = "t"
                hint = ["singular by mistake"]
                """);
        assertThatThrownBy(() -> Catalog.load(file)).isInstanceOf(LabException.class).hasMessageContaining("hint");
    }

    @Test
    void aMissingFieldIsAnErrorThatNamesIt() throws IOException {
        Path file = dir.resolve("exercises.toml");
        Files.writeString(file, """
                [[exercise]]
                id = "x"
                code = "s1e01"
                package = "p"
                title = "t"
                """);
        assertThatThrownBy(() -> Catalog.load(file)).isInstanceOf(LabException.class)
                .hasMessageContaining("x").hasMessageContaining("module");
    }

    @Test
    void exercisesThatShareAPackageRunOnlyTheirOwnTestClasses() throws IOException {
        Path file = dir.resolve("exercises.toml");
        Files.writeString(file, """
                [[exercise]]
                id = "core"
                code = "c01"
                module = "m"
                package = "p.q"
                title = "t"

                [[exercise]]
                id = "more"
                code = "c02"
                module = "m"
                package = "p.q"
                title = "t"
                tests = ["MoreTest", "OtherTest"]
                files = ["More.java"]

                [[exercise]]
                id = "elsewhere"
                code = "c03"
                module = "m"
                package = "p.r"
                title = "t"
                """);
        Catalog catalog = Catalog.load(file);
        Exercise core = catalog.require("core");
        Exercise more = catalog.require("more");
        Exercise elsewhere = catalog.require("elsewhere");
        assertThat(core.includedTestClasses()).as("an exercise without tests runs its whole package").isEmpty();
        assertThat(core.excludedTestClasses()).as("but not the classes another exercise of its package names")
                .containsExactly("p.q.MoreTest", "p.q.OtherTest");
        assertThat(more.includedTestClasses()).as("an exercise with tests runs those")
                .containsExactly("p.q.MoreTest", "p.q.OtherTest");
        assertThat(more.excludedTestClasses()).as("and needs no exclusion").isEmpty();
        assertThat(elsewhere.excludedTestClasses()).as("another package is not concerned").isEmpty();
        assertThat(more.owns(Path.of("m/src/main/java/p/q/More.java"))).as("an exercise owns the files it names")
                .isTrue();
        assertThat(more.owns(Path.of("Core.java"))).as("and no other file").isFalse();
        assertThat(core.owns(Path.of("Core.java"))).as("one that names none owns the package's other files")
                .isTrue();
        assertThat(core.owns(Path.of("More.java"))).as("but not those another exercise names").isFalse();
        assertThat(elsewhere.owns(Path.of("More.java"))).as("another package is not concerned").isTrue();
    }

    @Test
    void anUnknownExerciseSaysHowToFindTheRightName() {
        Catalog catalog = Catalog.load(Path.of("..", "exercises.toml"));
        assertThatThrownBy(() -> catalog.require("parallel-lops")).isInstanceOf(LabException.class)
                .hasMessageContaining("./lab list");
    }

    @Test
    void testNamesReadAsSentences() {
        var test = new CheckResult.TestOutcome("badArgumentsAreRejectedWithAMessage()", "C",
                "badArgumentsAreRejectedWithAMessage", false, "assertion", "", "");
        assertThat(Ui.testName(test)).isEqualTo("bad arguments are rejected with a message");
        var parameterized = new CheckResult.TestOutcome("[0, 10) on 3 threads", "C", "sumIsRight", false, "assertion",
                "", "");
        assertThat(Ui.testName(parameterized)).isEqualTo("sum is right [0, 10) on 3 threads");
    }
}
