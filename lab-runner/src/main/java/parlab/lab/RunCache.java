package parlab.lab;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import parlab.onebrc.Generator;

/**
 * Fast start-up for the programs of {@code ./lab run}: the program's classes go into a jar, and a JDK 25 AOT cache
 * ({@code -XX:AOTCache}) trained on a small run of the program maps its classes, already loaded and linked, and the
 * method profiles of that run at start. For the capstone this saves about 1.2 CPU-seconds and as much wall time of
 * every run (class loading and initialisation of picocli, logback, the DuckDB driver..., and some of the JIT's work),
 * more than the parsing of 30 million rows.
 *
 * <p>Why a jar: an AOT cache refuses a class path with a non-empty directory, and it is valid only while each jar has
 * the size and time it had at training. So the jar is rewritten only when its bytes change (entries in a fixed order
 * with a fixed time), and the cache is trained again, once, when the jar, the class path, the size or time of a jar on
 * it (a rebuild of a library module) or the JDK changes (a key file beside the cache records them). The reference's
 * cache is trained at its first run; the learner's only for {@code --print-command} (the benchmark script), since their
 * code changes with every edit and a training run costs more than the cache saves on one run. A cache the JVM refuses
 * anyway only costs the speed-up: {@code -Xlog:aot=off} keeps the run quiet.
 */
final class RunCache {
    /** Rows of the generated file the training run parses: enough for the parser's profiles, about a second. */
    static final long TRAINING_ROWS = 1_000_000;

    private RunCache() {
    }

    /**
     * The jar of {@code dirs} (classes, resources; the first of two entries of one name wins, as on a class path)
     * at {@code jar}, rewritten only if its content changed.
     */
    static Path jar(Path jar, List<Path> dirs) throws IOException {
        TreeMap<String, Path> entries = new TreeMap<>();
        for (Path dir : dirs) {
            if (!Files.isDirectory(dir)) {
                continue;
            }
            try (Stream<Path> walk = Files.walk(dir)) {
                for (Path file : walk.filter(Files::isRegularFile).sorted().toList()) {
                    entries.putIfAbsent(dir.relativize(file).toString().replace('\\', '/'), file);
                }
            }
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream out = new ZipOutputStream(bytes)) {
            for (var e : entries.entrySet()) {
                ZipEntry entry = new ZipEntry(e.getKey());
                entry.setTime(0);
                out.putNextEntry(entry);
                Files.copy(e.getValue(), out);
                out.closeEntry();
            }
        }
        byte[] content = bytes.toByteArray();
        if (!Files.isRegularFile(jar) || !java.util.Arrays.equals(Files.readAllBytes(jar), content)) {
            Files.createDirectories(jar.getParent());
            Path temp = jar.resolveSibling(jar.getFileName() + ".tmp");
            Files.write(temp, content);
            Files.move(temp, jar, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        }
        return jar;
    }

    /**
     * The flags that use the AOT cache {@code aot} for {@code command} ({@code java}, its flags, {@code -cp},
     * the class path, the main class), after training it if the key changed and {@code mayTrain}: one run of the
     * program on a generated file of {@link #TRAINING_ROWS} rows, {@code --input FILE --db-file FILE}. Empty if
     * there is no cache for this key (not trained, or the training failed: it is not tried again until the key
     * changes).
     */
    static List<String> flags(List<String> command, Path aot, Path jar, boolean mayTrain) {
        try {
            String key = key(command, jar);
            Path keyFile = aot.resolveSibling(aot.getFileName() + ".key");
            if (!Files.isRegularFile(keyFile) || !Files.readString(keyFile).equals(key)) {
                if (!mayTrain) {
                    return List.of();
                }
                Files.deleteIfExists(aot);
                train(command, aot);
                Files.writeString(keyFile, key);
            }
            return Files.isRegularFile(aot) ? List.of("-XX:AOTCache=" + aot, "-Xlog:aot=off", "-Xlog:cds=off")
                    : List.of();
        } catch (IOException | RuntimeException e) {
            return List.of();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return List.of();
        }
    }

    private static void train(List<String> command, Path aot) throws IOException, InterruptedException {
        System.err.println("Preparing fast start-up of the program (once per change of its code, a few seconds)…");
        Path dir = aot.resolveSibling("training");
        Path input = dir.resolve("measurements.txt");
        if (!Files.isRegularFile(input) || !Files.isRegularFile(Generator.expectedFile(input))) {
            Files.createDirectories(dir);
            new Generator(TRAINING_ROWS, 1, 413).write(input, Runtime.getRuntime().availableProcessors(), n -> { });
        }
        Path db = dir.resolve("training.duckdb");
        Files.deleteIfExists(db);
        Files.deleteIfExists(dir.resolve("training.duckdb.wal"));
        List<String> training = new ArrayList<>(command.subList(0, 1));
        training.addAll(List.of("-XX:AOTCacheOutput=" + aot, "-Xlog:aot=off", "-Xlog:cds=off"));
        training.addAll(command.subList(1, command.size()));
        training.addAll(List.of("--input", input.toString(), "--db-file", db.toString()));
        Process process = new ProcessBuilder(training).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        if (!process.waitFor(3, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            Files.deleteIfExists(aot);
        }
        Files.deleteIfExists(db);
        Files.deleteIfExists(dir.resolve("training.duckdb.wal"));
    }

    /**
     * What the cache depends on: the command (JDK, flags, class path), the jar's bytes, and the size and time of
     * every jar on the class path (the JVM refuses a cache once one of them changed, as a rebuild does).
     */
    private static String key(List<String> command, Path jar) throws IOException {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            digest.update(String.join("\n", command).getBytes(StandardCharsets.UTF_8));
            digest.update(Files.readAllBytes(jar));
            int cp = command.indexOf("-cp");
            for (String entry : cp < 0 ? new String[0] : command.get(cp + 1).split(File.pathSeparator)) {
                Path file = Path.of(entry);
                if (Files.isRegularFile(file)) {
                    digest.update((entry + ":" + Files.size(file) + ":" + Files.getLastModifiedTime(file).toMillis())
                            .getBytes(StandardCharsets.UTF_8));
                }
            }
            digest.update(Runtime.version().toString().getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
