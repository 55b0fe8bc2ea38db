package parlab.capstone.ops;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A real headless Chromium, driven over the DevTools protocol (a WebSocket, the JDK's client): open a page,
 * evaluate JavaScript in it, take a screenshot. Started with a fresh profile and without any network of its own
 * (no updates, no sync, no QUIC); {@link #close()} kills it and every process it started.
 *
 * <p>Where it is: {@code $CHROMIUM}, else {@code chromium}, {@code chromium-browser} or {@code google-chrome} on the
 * {@code PATH}. Missing, it skips the test on a workstation and fails it on CI ({@code CI=true}), where
 * {@code .ci/run} installs it.
 */
final class Chromium implements AutoCloseable {
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Duration PATIENCE = Duration.ofSeconds(30);

    private final Process process;
    private final HttpClient http = HttpClient.newHttpClient();
    private final WebSocket socket;
    private final AtomicInteger ids = new AtomicInteger();
    private final Map<Integer, CompletableFuture<JsonNode>> pending = new ConcurrentHashMap<>();

    private Chromium(Process process, String webSocketUrl) throws IOException, InterruptedException {
        this.process = process;
        try {
            socket = http.newWebSocketBuilder().buildAsync(URI.create(webSocketUrl), new Listener())
                    .get(PATIENCE.toSeconds(), TimeUnit.SECONDS);
        } catch (Exception e) {
            close();
            throw new IOException("cannot reach Chromium's DevTools at " + webSocketUrl, e);
        }
    }

    /** The browser's executable, or a skipped test (a failed one on CI) if there is none. */
    static Path executable() {
        Optional<Path> found = Optional.ofNullable(System.getenv("CHROMIUM")).map(Path::of).filter(Files::isExecutable)
                .or(() -> Stream.of(System.getenv("PATH").split(java.io.File.pathSeparator))
                        .flatMap(dir -> Stream.of("chromium", "chromium-browser", "google-chrome")
                                .map(name -> Path.of(dir, name)))
                        .filter(Files::isExecutable).findFirst());
        if (found.isEmpty()) {
            String message = "no Chromium found (CHROMIUM, or chromium on the PATH): install it with"
                    + " apt-get install -y chromium (.ci/run does) to test the dashboard in a real browser";
            if ("true".equalsIgnoreCase(System.getenv("CI"))) {
                Assertions.fail(message);
            }
            Assumptions.abort(message);
        }
        return found.get();
    }

    /** Starts a headless browser on about:blank with a fresh profile under {@code dir}, its output in a log file. */
    static Chromium start(Path dir, int width, int height) throws Exception {
        Path profile = Files.createDirectories(dir.resolve("chromium-profile"));
        Process process = new ProcessBuilder(executable().toString(), "--headless", "--no-sandbox", "--disable-gpu",
                "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--disable-extensions", "--hide-scrollbars", "--user-data-dir=" + profile,
                "--remote-debugging-address=127.0.0.1", "--remote-debugging-port=0",
                "--window-size=" + width + "," + height, "about:blank")
                .redirectErrorStream(true).redirectOutput(dir.resolve("chromium.log").toFile()).start();
        try {
            Path portFile = profile.resolve("DevToolsActivePort");
            Awaitility.await("Chromium writes " + portFile).atMost(PATIENCE)
                    .until(() -> !process.isAlive() || Files.isRegularFile(portFile)
                            && Files.readAllLines(portFile).size() >= 2);
            if (!process.isAlive()) {
                throw new IOException("Chromium exited with " + process.exitValue() + ": "
                        + Files.readString(dir.resolve("chromium.log")));
            }
            int port = Integer.parseInt(Files.readAllLines(portFile).getFirst().strip());
            String page;
            try (HttpClient client = HttpClient.newHttpClient()) {
                JsonNode targets = JSON.readTree(client.send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + port + "/json/list")).timeout(PATIENCE).build(),
                        HttpResponse.BodyHandlers.ofString()).body());
                page = targets.valueStream().filter(t -> t.get("type").asString().equals("page")).findFirst()
                        .orElseThrow(() -> new IOException("Chromium shows no page: " + targets))
                        .get("webSocketDebuggerUrl").asString();
            }
            return new Chromium(process, page);
        } catch (Exception | Error e) {
            kill(process);
            throw e;
        }
    }

    /** Sends a DevTools command and waits for its result. */
    JsonNode call(String method, Map<String, Object> params) throws Exception {
        int id = ids.incrementAndGet();
        CompletableFuture<JsonNode> reply = new CompletableFuture<>();
        pending.put(id, reply);
        socket.sendText(JSON.writeValueAsString(Map.of("id", id, "method", method, "params", params)), true)
                .get(PATIENCE.toSeconds(), TimeUnit.SECONDS);
        JsonNode answer = reply.get(PATIENCE.toSeconds(), TimeUnit.SECONDS);
        if (answer.has("error")) {
            throw new IOException(method + " failed: " + answer.get("error"));
        }
        return answer.get("result");
    }

    void open(URI uri) throws Exception {
        call("Page.enable", Map.of());
        call("Page.navigate", Map.of("url", uri.toString()));
    }

    /** The value of a JavaScript expression in the page (a string, number or boolean). */
    JsonNode eval(String expression) throws Exception {
        JsonNode result = call("Runtime.evaluate", Map.of("expression", expression, "returnByValue", true));
        if (result.has("exceptionDetails")) {
            throw new IOException(expression + " threw: " + result.get("exceptionDetails"));
        }
        return result.get("result").get("value");
    }

    void screenshot(Path png) throws Exception {
        String data = call("Page.captureScreenshot", Map.of("format", "png")).get("data").asString();
        Files.createDirectories(png.toAbsolutePath().getParent());
        Files.write(png, Base64.getDecoder().decode(data));
    }

    /** Replies arrive in frames; a message is complete with its last frame. */
    private final class Listener implements WebSocket.Listener {
        private final StringBuilder message = new StringBuilder();

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            message.append(data);
            if (last) {
                JsonNode node = JSON.readTree(message.toString());
                message.setLength(0);
                if (node.has("id")) {
                    CompletableFuture<JsonNode> reply = pending.remove(node.get("id").asInt());
                    if (reply != null) {
                        reply.complete(node);
                    }
                }
            }
            webSocket.request(1);
            return null;
        }
    }

    private static void kill(Process process) throws InterruptedException {
        List<ProcessHandle> family = process.descendants().toList();
        process.destroyForcibly();
        family.forEach(ProcessHandle::destroyForcibly);
        process.waitFor(PATIENCE.toSeconds(), TimeUnit.SECONDS);
        for (ProcessHandle child : family) {
            child.onExit().completeOnTimeout(child, PATIENCE.toSeconds(), TimeUnit.SECONDS).join();
        }
    }

    @Override
    public void close() throws InterruptedException {
        try {
            if (socket != null) {
                socket.abort();
            }
        } finally {
            http.close();
            kill(process);
        }
    }
}
