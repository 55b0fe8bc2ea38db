package parlab.stage1.iobound;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A local stand-in for a slow remote service: {@code GET /item?id=7&delay=100} answers {@code item-7} after
 * 100 ms, {@code &status=500} answers with that status instead. Each exchange is handled on its own virtual
 * thread, and the sleep in the handler is the simulated network latency. Counts how many requests it holds at
 * once, so a test can see whether the client's requests overlapped.
 */
final class SlowServer implements AutoCloseable {
    private final HttpServer server;
    private final ExecutorService handlers = Executors.newVirtualThreadPerTaskExecutor();
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicInteger peak = new AtomicInteger();
    private final AtomicInteger served = new AtomicInteger();

    private SlowServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 1024);
        server.setExecutor(handlers);
        server.createContext("/item", this::handle);
        server.start();
    }

    static SlowServer start() throws IOException {
        return new SlowServer();
    }

    /** The URI of item {@code id}, answered after {@code delayMillis}. */
    URI item(int id, long delayMillis) {
        return URI.create(base() + "/item?id=" + id + "&delay=" + delayMillis);
    }

    /** The URI of item {@code id}, answered at once with {@code status} instead of 200. */
    URI failing(int id, int status) {
        return URI.create(base() + "/item?id=" + id + "&delay=0&status=" + status);
    }

    /** The most requests this server has held at the same time. */
    int peakInFlight() {
        return peak.get();
    }

    /** Forgets the peak so far (after a warm-up). */
    void resetPeak() {
        peak.set(inFlight.get());
    }

    /** Requests answered so far. */
    int served() {
        return served.get();
    }

    private String base() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    private void handle(HttpExchange exchange) throws IOException {
        int now = inFlight.incrementAndGet();
        peak.accumulateAndGet(now, Math::max);
        try (exchange) {
            Map<String, String> query = parse(exchange.getRequestURI().getRawQuery());
            Thread.sleep(Long.parseLong(query.getOrDefault("delay", "0"))); // the simulated latency
            int status = Integer.parseInt(query.getOrDefault("status", "200"));
            byte[] body = ("item-" + query.get("id")).getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(status, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
            served.incrementAndGet();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            inFlight.decrementAndGet();
        }
    }

    private static Map<String, String> parse(String query) {
        Map<String, String> values = new HashMap<>();
        for (String pair : query == null ? new String[0] : query.split("&")) {
            int eq = pair.indexOf('=');
            values.put(pair.substring(0, eq), pair.substring(eq + 1));
        }
        return values;
    }

    /** Stops listening at once, wakes the handlers still sleeping and waits for them to end. */
    @Override
    public void close() {
        server.stop(0);
        handlers.shutdownNow();
        handlers.close();
    }
}
