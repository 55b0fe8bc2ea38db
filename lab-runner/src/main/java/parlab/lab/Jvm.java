package parlab.lab;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.Locale;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;

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

    /** A class path and the flags that go with it. */
    record Launch(List<Path> classpath, List<String> flags) {
    }

    /**
     * DuckDB's JDBC jar holds its native library (70 MB) and, on every start of a JVM, unpacks it into a new
     * temporary file before loading it: 1–2 s of each run of a program, more than the program's own work on a
     * million rows. This unpacks it once into {@code cache}, next to a copy of the jar without the native
     * libraries, and returns the class path with that copy instead of the jar, plus the {@code java.library.path}
     * where the driver then finds the library ({@code System.loadLibrary("duckdb_java")}, the driver's own
     * fallback). A class path without the driver, or a jar without a library for this platform, is returned as it
     * is; so is the original one if anything fails here (the driver then unpacks as usual).
     */
    static Launch unpackDuckDbNative(List<Path> classpath, Path cache) {
        List<Path> entries = new ArrayList<>(classpath);
        for (int i = 0; i < entries.size(); i++) {
            Path jar = entries.get(i);
            String name = jar.getFileName() == null ? "" : jar.getFileName().toString();
            if (!name.startsWith("duckdb_jdbc") || !name.endsWith(".jar") || !Files.isRegularFile(jar)) {
                continue;
            }
            try {
                Path dir = cache.resolve(name.substring(0, name.length() - ".jar".length()));
                Path library = dir.resolve(System.mapLibraryName("duckdb_java"));
                Path stripped = dir.resolve(name);
                if (!Files.isRegularFile(library) || !Files.isRegularFile(stripped)
                        || Files.getLastModifiedTime(stripped).compareTo(Files.getLastModifiedTime(jar)) < 0) {
                    if (!unpack(jar, duckDbLibraryResource(), library, stripped)) {
                        return new Launch(classpath, List.of());
                    }
                }
                entries.set(i, stripped);
                return new Launch(entries, List.of("-Djava.library.path=" + dir));
            } catch (IOException | RuntimeException e) {
                return new Launch(classpath, List.of());
            }
        }
        return new Launch(classpath, List.of());
    }

    /**
     * {@link #unpackDuckDbNative} into {@code MODULE/target/lab/native}, the one cache that {@code ./lab run}, the
     * test hosts and their AOT training share.
     */
    static Launch forModule(Workspace workspace, String module, List<Path> classpath) {
        return unpackDuckDbNative(classpath, workspace.root().resolve(module).resolve("target/lab/native"));
    }

    /** The name of this platform's library inside the jar, as the driver spells it ({@code _linux_amd64}). */
    private static String duckDbLibraryResource() {
        String os = System.getProperty("os.name").toLowerCase(Locale.ROOT);
        os = os.startsWith("windows") ? "windows" : os.startsWith("mac") ? "macos" : os.startsWith("linux") ? "linux"
                : os.replaceAll("[^a-z0-9_\\-.]", "");
        String arch = System.getProperty("os.arch").toLowerCase(Locale.ROOT).trim();
        arch = switch (arch) {
            case "x86_64", "amd64" -> "amd64";
            case "aarch64", "arm64" -> "arm64";
            default -> arch.replaceAll("[^a-z0-9_\\-.]", "");
        };
        return "libduckdb_java.so_" + os + "_" + arch;
    }

    /** Writes the library and the jar without libraries through temporary files, moved into place at the end. */
    private static boolean unpack(Path jar, String resource, Path library, Path stripped) throws IOException {
        Files.createDirectories(library.getParent());
        try (ZipFile zip = new ZipFile(jar.toFile())) {
            ZipEntry packed = zip.getEntry(resource);
            if (packed == null) {
                return false;
            }
            Path libraryTemp = Files.createTempFile(library.getParent(), "lib", ".tmp");
            Path jarTemp = Files.createTempFile(library.getParent(), "jar", ".tmp");
            try {
                try (InputStream in = zip.getInputStream(packed)) {
                    Files.copy(in, libraryTemp, StandardCopyOption.REPLACE_EXISTING);
                }
                try (OutputStream file = Files.newOutputStream(jarTemp); ZipOutputStream out = new ZipOutputStream(file)) {
                    Enumeration<? extends ZipEntry> all = zip.entries();
                    while (all.hasMoreElements()) {
                        ZipEntry entry = all.nextElement();
                        if (entry.getName().startsWith("libduckdb_java")) {
                            continue;
                        }
                        out.putNextEntry(new ZipEntry(entry.getName()));
                        try (InputStream in = zip.getInputStream(entry)) {
                            in.transferTo(out);
                        }
                        out.closeEntry();
                    }
                }
                Files.move(libraryTemp, library, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
                Files.move(jarTemp, stripped, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
                return true;
            } finally {
                Files.deleteIfExists(libraryTemp);
                Files.deleteIfExists(jarTemp);
            }
        }
    }
}
