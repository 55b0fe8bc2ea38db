package parlab.capstone.ops;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import parlab.capstone.ChunkResult;
import parlab.capstone.Config;
import parlab.capstone.Database;
import parlab.capstone.InputFile;
import parlab.capstone.Progress;
import parlab.capstone.RunReport;
import parlab.capstone.Runner;
import parlab.onebrc.Generator;

/**
 * A real run (the reference {@link Runner} on a generated input, into DuckDB) on a thread of its own, fed to a
 * {@link RunMetrics} served by an {@link OpsServer} on a free port of 127.0.0.1, and held after {@code holdAt}
 * commits until {@link #release()}: tests look at the server while the run is alive, with no timing guess.
 * Closing releases the run, waits for it and stops the server.
 */
final class HeldRun implements AutoCloseable {
    static final Duration PATIENCE = Duration.ofSeconds(60);

    final Path input;
    final String expected;
    final RunMetrics metrics;
    final OpsServer server;
    private final Connection db;
    private final ExecutorService thread = Executors.newSingleThreadExecutor(r -> new Thread(r, "held-run"));
    private final CountDownLatch held = new CountDownLatch(1);
    private final CountDownLatch release = new CountDownLatch(1);
    private final Future<RunReport> report;
    private volatile int heldAt = -1;

    HeldRun(Path dir, long rows, long chunkSize, int holdAt) throws IOException, InterruptedException {
        input = dir.resolve("held-" + rows + ".txt");
        new Generator(rows, 7, 400).write(input, 1, written -> { });
        expected = Files.readString(Generator.expectedFile(input)).strip();
        InputFile file = InputFile.check(input);
        String url = "jdbc:duckdb:" + dir.resolve("held.duckdb");
        db = Database.open(url);
        Database.claim(db, file, chunkSize);
        metrics = new RunMetrics(input.getFileName().toString(), file.size(), 2);
        server = OpsServer.start("127.0.0.1", 0, metrics);
        Progress gate = new Progress() {
            @Override
            public void committed(parlab.capstone.Chunk chunk, int done, int total) {
            }

            @Override
            public void committed(ChunkResult result, int done, int total) {
                if (done == holdAt) {
                    heldAt = done;
                    held.countDown();
                    try {
                        release.await(PATIENCE.toSeconds(), TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
            }
        };
        Progress listener = Fanout.of(metrics, gate);
        listener.workersAlive(2);
        Config config = new Config(input, url, 2, chunkSize, 4 * chunkSize);
        report = thread.submit(() -> {
            try {
                RunReport r = Runner.run(config, db, listener);
                metrics.finished(r);
                return r;
            } catch (Exception | Error e) {
                metrics.failed(e);
                throw e;
            } finally {
                held.countDown();
            }
        });
    }

    /** Waits until the run holds (or ended early: then the report says why). */
    int awaitHeld() throws Exception {
        if (!held.await(PATIENCE.toSeconds(), TimeUnit.SECONDS)) {
            throw new AssertionError("the run did not reach its hold point within " + PATIENCE);
        }
        if (heldAt < 0) {
            report.get(); // ended without holding: throws what went wrong
            throw new AssertionError("the run ended before its hold point");
        }
        return heldAt;
    }

    void release() {
        release.countDown();
    }

    RunReport awaitReport() throws Exception {
        release();
        return report.get(PATIENCE.toSeconds(), TimeUnit.SECONDS);
    }

    URI uri(String path) {
        return server.uri().resolve(path);
    }

    static HttpResponse<String> get(HttpClient client, URI uri) throws IOException, InterruptedException {
        return client.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Override
    public void close() throws Exception {
        release();
        try {
            thread.shutdown();
            thread.awaitTermination(PATIENCE.toSeconds(), TimeUnit.SECONDS);
        } finally {
            server.close();
            db.close();
        }
    }
}
