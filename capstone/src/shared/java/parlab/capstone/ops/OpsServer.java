package parlab.capstone.ops;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.prometheus.metrics.exporter.httpserver.MetricsHandler;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import parlab.capstone.CapstoneException;
import parlab.capstone.ExitCode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The run's HTTP face, on the JDK's {@code HttpServer} with a virtual thread per exchange, bound to 127.0.0.1 unless
 * told otherwise. It lives as long as the run (or longer with {@code --keep-serving}):
 * <ul>
 *   <li>{@code GET /metrics}: the {@link RunMetrics} in the Prometheus text format (OpenMetrics on request), for a
 *       Prometheus server to scrape ({@code ops/prometheus.yml});</li>
 *   <li>{@code GET /health}: {@code 200} and {@code {"status":"starting|running|finished","chunksDone":..,
 *       "chunksPlanned":..,"workersAlive":..,"rows":..}} while the process serves; {@code 503} and status
 *       {@code failed} once the run has failed;</li>
 *   <li>{@code GET /events}: server-sent events, one {@link RunMetrics.Snapshot} as JSON every {@value #PERIOD_MS}
 *       ms, until the server stops;</li>
 *   <li>{@code GET /}: the live dashboard, one self-contained page ({@code dashboard.html}, no external resource)
 *       that draws those events.</li>
 * </ul>
 *
 * <p>Closing stops the event streams, then the server (open exchanges are cut), then waits for every handler's
 * thread: nothing of the server outlives {@link #close()}.
 */
public final class OpsServer implements AutoCloseable {
    static final long PERIOD_MS = 250;
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final HttpServer server;
    private final ExecutorService handlers;
    private final RunMetrics metrics;
    private final CountDownLatch closing = new CountDownLatch(1);
    private final URI uri;

    private OpsServer(HttpServer server, ExecutorService handlers, RunMetrics metrics) {
        this.server = server;
        this.handlers = handlers;
        this.metrics = metrics;
        InetSocketAddress bound = server.getAddress();
        this.uri = URI.create("http://" + hostForUri(bound.getAddress()) + ":" + bound.getPort() + "/");
    }

    /**
     * Binds {@code host:port} ({@code 0}: a free port, see {@link #uri()}) and starts serving {@code metrics}.
     *
     * @throws CapstoneException {@link ExitCode#PORT_IN_USE} if the port is taken or the host cannot be bound
     */
    public static OpsServer start(String host, int port, RunMetrics metrics) {
        InetAddress address;
        try {
            address = InetAddress.getByName(host);
        } catch (UnknownHostException e) {
            throw new CapstoneException(ExitCode.BAD_OPTION, "--http-host " + host + " is not a known host name or"
                    + " address; 127.0.0.1 (the default) serves this machine only");
        }
        HttpServer server;
        try {
            server = HttpServer.create(new InetSocketAddress(address, port), 0);
        } catch (BindException e) {
            throw new CapstoneException(ExitCode.PORT_IN_USE, "port " + port + " on " + host + " is in use ("
                    + e.getMessage() + "): stop what holds it, pass another --http-port, 0 for a free one, or"
                    + " --http-port off");
        } catch (IOException e) {
            throw new CapstoneException(ExitCode.PORT_IN_USE, "cannot serve HTTP on " + host + ":" + port + ": " + e
                    + "; pass another --http-host or --http-port, or --http-port off");
        }
        ExecutorService handlers = Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("capstone-http-", 0)
                .factory());
        OpsServer ops = new OpsServer(server, handlers, metrics);
        server.setExecutor(handlers);
        server.createContext("/metrics", new MetricsHandler(metrics.registry()));
        server.createContext("/health", ops::health);
        server.createContext("/events", ops::events);
        server.createContext("/", ops::page);
        server.start();
        return ops;
    }

    /** Where the dashboard is, e.g. {@code http://127.0.0.1:9464/}. */
    public URI uri() {
        return uri;
    }

    private void health(HttpExchange exchange) throws IOException {
        try (exchange) {
            RunMetrics.Snapshot now = metrics.snapshot();
            var body = new java.util.LinkedHashMap<String, Object>();
            body.put("status", now.state());
            body.put("chunksDone", now.chunksDone());
            body.put("chunksPlanned", now.chunksPlanned());
            body.put("workersAlive", now.workersAlive());
            body.put("rows", now.rows());
            if (now.failure() != null) {
                body.put("failure", now.failure());
            }
            send(exchange, now.state().equals("failed") ? 503 : 200, "application/json",
                    JSON.writeValueAsBytes(body));
        }
    }

    private void events(HttpExchange exchange) throws IOException {
        try (exchange) {
            exchange.getResponseHeaders().set("Content-Type", "text/event-stream; charset=utf-8");
            exchange.getResponseHeaders().set("Cache-Control", "no-cache");
            exchange.sendResponseHeaders(200, 0);
            OutputStream body = exchange.getResponseBody();
            body.write("retry: 1000\n\n".getBytes(StandardCharsets.UTF_8));
            do {
                body.write(("data: " + JSON.writeValueAsString(metrics.snapshot()) + "\n\n")
                        .getBytes(StandardCharsets.UTF_8));
                body.flush();
            } while (!closing.await(PERIOD_MS, TimeUnit.MILLISECONDS));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException gone) {
            // the browser went away: its stream ends here
        }
    }

    private void page(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getPath();
            if (!path.equals("/") && !path.equals("/index.html")) {
                send(exchange, 404, "text/plain; charset=utf-8",
                        "not found: try /, /metrics, /health or /events\n".getBytes(StandardCharsets.UTF_8));
                return;
            }
            send(exchange, 200, "text/html; charset=utf-8", dashboard());
        }
    }

    static byte[] dashboard() {
        try (InputStream in = OpsServer.class.getResourceAsStream("dashboard.html")) {
            if (in == null) {
                return "<!doctype html><p>dashboard.html is not on the class path (src/shared/resources)</p>"
                        .getBytes(StandardCharsets.UTF_8);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void send(HttpExchange exchange, int status, String type, byte[] body) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", type);
        exchange.getResponseHeaders().set("Cache-Control", "no-cache");
        exchange.sendResponseHeaders(status, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    private static String hostForUri(InetAddress address) {
        String host = address.getHostAddress();
        return host.contains(":") ? "[" + host + "]" : host;
    }

    /** Ends the event streams, stops the server and waits (at most a few seconds) for its handlers. */
    @Override
    public void close() {
        closing.countDown();
        server.stop(0);
        handlers.shutdown();
        try {
            if (!handlers.awaitTermination(Duration.ofSeconds(5).toMillis(), TimeUnit.MILLISECONDS)) {
                handlers.shutdownNow();
            }
        } catch (InterruptedException e) {
            handlers.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }
}
