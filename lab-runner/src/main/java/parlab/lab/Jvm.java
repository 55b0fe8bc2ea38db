package parlab.lab;

import java.io.File;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** How the runner starts a JVM: the JDK it runs on, the flags every child needs, a class path. */
final class Jvm {
    /** Silence JDK 25's warnings about native access and {@code sun.misc.Unsafe} (JMH, DuckDB, Netty). */
    static final List<String> FLAGS = List.of("--enable-native-access=ALL-UNNAMED",
            "--sun-misc-unsafe-memory-access=allow");

    private Jvm() {
    }

    /** {@code java} of the JDK this runner runs on, followed by {@link #FLAGS}. */
    static List<String> command() {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(FLAGS);
        return command;
    }

    /** A {@code -cp} value. */
    static String classpath(List<Path> entries) {
        return String.join(File.pathSeparator, entries.stream().map(Path::toString).toList());
    }
}
