package parlab.lab;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Calls back once per burst of changes to {@code .java} files under the watched folders. Editors save in several
 * steps (write a temporary file, rename, touch), so events closer than {@value #DEBOUNCE_MILLIS} ms are merged.
 */
final class FileWatcher implements AutoCloseable {
    static final long DEBOUNCE_MILLIS = 30;
    private final WatchService service;
    private final Thread thread;

    FileWatcher(Runnable onChange) {
        try {
            service = FileSystems.getDefault().newWatchService();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        thread = Thread.ofPlatform().daemon().name("lab-files").start(() -> loop(onChange));
    }

    /** Watches these folders and their subfolders too (missing ones are skipped). */
    void watch(List<Path> dirs) {
        try {
            for (Path dir : dirs) {
                if (Files.isDirectory(dir)) {
                    try (var walk = Files.walk(dir)) {
                        for (Path sub : walk.filter(Files::isDirectory).toList()) {
                            sub.register(service, StandardWatchEventKinds.ENTRY_CREATE,
                                    StandardWatchEventKinds.ENTRY_MODIFY, StandardWatchEventKinds.ENTRY_DELETE);
                        }
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void loop(Runnable onChange) {
        try {
            while (true) {
                boolean java = drain(service.take());
                WatchKey more;
                while ((more = service.poll(DEBOUNCE_MILLIS, TimeUnit.MILLISECONDS)) != null) {
                    java |= drain(more);
                }
                if (java) {
                    onChange.run();
                }
            }
        } catch (InterruptedException | ClosedWatchServiceException e) {
            // closed
        }
    }

    private static boolean drain(WatchKey key) {
        boolean java = false;
        for (var event : key.pollEvents()) {
            java |= String.valueOf(event.context()).endsWith(".java");
        }
        key.reset();
        return java;
    }

    @Override
    public void close() {
        thread.interrupt();
        try {
            service.close();
        } catch (IOException ignored) {
            // nothing left to release
        }
    }
}
