package parlab.lab;

import java.io.IOException;
import java.lang.module.ModuleDescriptor;
import java.lang.module.ModuleFinder;
import java.lang.module.ModuleReference;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;

/**
 * The Java runtime that {@code ./lab run} starts programs on: this JDK without JFR, made once per JDK with
 * {@code jlink} (about 10 s, 200 MB in the module's {@code target/lab}).
 *
 * <p>Why: DuckDB's JDBC driver registers a JFR event in its static initialiser whenever the {@code jdk.jfr} module
 * is there, used or not. That sets up JFR's metadata and generates a class with the JDK's class-file library, about
 * 0.3 CPU-seconds of every run of the capstone, plus the JIT's work on that library: more than the rest of its
 * start-up. The programs do not use JFR (the exercises that teach it run in their tests, on the full JDK).
 * {@code --limit-modules} would leave JFR out too, but the JDK then refuses the AOT cache ({@link RunCache}).
 *
 * <p>Every module of this JDK goes in except {@code jdk.jfr}, {@code jdk.jlink} (a JDK without {@code jmods}
 * cannot link it again), incubator modules and the modules that need one of those. Where that cannot be done (a
 * JDK without {@code jmods} whose run-time image is not linkable, {@code jlink} missing or failing), programs run
 * on this JDK as before, without a word: only the speed-up is lost, and the attempt is not repeated for this JDK.
 */
final class RuntimeImage {
    private static final Set<String> LEFT_OUT = Set.of("jdk.jfr", "jdk.jlink");

    private RuntimeImage() {
    }

    /** The {@code java} to start programs with: the image in {@code dir}, made now if needed, or this JDK's. */
    static String java(Path dir) {
        Path jdk = Path.of(System.getProperty("java.home"));
        Path ownJava = jdk.resolve("bin").resolve("java");
        Path image = dir.resolve("image");
        Path imageJava = image.resolve("bin").resolve("java");
        Path keyFile = dir.resolve("image.key");
        try {
            List<String> modules = modules();
            String key = key(modules);
            if (Files.isRegularFile(keyFile) && Files.readString(keyFile).equals(key)) {
                return Files.isExecutable(imageJava) ? imageJava.toString() : ownJava.toString();
            }
            System.err.println("Preparing a Java runtime without JFR for the program (once per JDK, about 10 s)…");
            delete(image);
            Files.createDirectories(dir);
            Files.deleteIfExists(keyFile);
            Path work = Files.createTempDirectory(dir, "jlink"); // two runs at once link apart
            Path linked = work.resolve("image");
            Process jlink = new ProcessBuilder(jdk.resolve("bin").resolve("jlink").toString(),
                    "--add-modules", String.join(",", modules), "--output", linked.toString(), "--strip-debug",
                    "--no-header-files", "--no-man-pages", "--generate-cds-archive")
                    .redirectErrorStream(true).redirectOutput(dir.resolve("jlink.log").toFile()).start();
            boolean ok = jlink.waitFor(5, TimeUnit.MINUTES) && jlink.exitValue() == 0
                    && Files.isExecutable(linked.resolve("bin").resolve("java"));
            jlink.destroyForcibly();
            if (ok && !Files.exists(image)) {
                Files.move(linked, image);
            }
            delete(work);
            Files.writeString(keyFile, key); // a failure is not tried again for this JDK (jlink.log says why)
            return Files.isExecutable(imageJava) ? imageJava.toString() : ownJava.toString();
        } catch (IOException | RuntimeException e) {
            return ownJava.toString();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return ownJava.toString();
        }
    }

    /** What the image depends on: this JDK (where it is, its version) and the modules. */
    static String key(List<String> modules) {
        return System.getProperty("java.home") + "\n" + Runtime.version() + "\n" + String.join(",", modules);
    }

    /** This JDK's modules but those {@link #LEFT_OUT}, incubator modules, and those that need one of them. */
    static List<String> modules() {
        List<ModuleDescriptor> all = ModuleFinder.ofSystem().findAll().stream().map(ModuleReference::descriptor)
                .toList();
        Set<String> out = new HashSet<>(LEFT_OUT);
        all.stream().map(ModuleDescriptor::name).filter(n -> n.startsWith("jdk.incubator.")).forEach(out::add);
        boolean grew = true;
        while (grew) {
            grew = false;
            for (ModuleDescriptor module : all) {
                if (!out.contains(module.name()) && module.requires().stream()
                        .anyMatch(r -> out.contains(r.name()))) {
                    grew |= out.add(module.name());
                }
            }
        }
        Set<String> in = new TreeSet<>();
        all.stream().map(ModuleDescriptor::name).filter(n -> !out.contains(n)).forEach(in::add);
        return new ArrayList<>(in);
    }

    private static void delete(Path dir) throws IOException {
        if (Files.exists(dir)) {
            Compiler.emptyDirectory(dir);
            Files.delete(dir);
        }
    }
}
