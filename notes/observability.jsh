// Observability — run with: jshell notes/observability.jsh
import com.sun.net.httpserver.HttpServer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.DoubleAdder;
import java.util.concurrent.atomic.LongAdder;

void check(boolean ok, String message) { if (!ok) throw new AssertionError(message); }

// 1. Context on every log line. An MDC (SLF4J/Logback) is a ThreadLocal map; in a pool it must be set and cleared
//    around every task, or a value leaks into the next task that runs on the same thread.
ThreadLocal<String> mdcTask = new ThreadLocal<>();
List<String> logged = Collections.synchronizedList(new ArrayList<>());
void logWithMdc(String message) { logged.add("[task=" + mdcTask.get() + "] " + message); }

void threadLocalLeaks() throws Exception {
    try (ExecutorService one = Executors.newSingleThreadExecutor()) {         // one thread: tasks share it
        one.submit(() -> { mdcTask.set("t1"); logWithMdc("working"); }).get();  // forgot to clear
        one.submit(() -> logWithMdc("working")).get();                          // task t2 never set it
    }
    check(logged.get(1).equals("[task=t1] working"), "the stale value from t1 tagged t2's line: " + logged.get(1));
    System.out.println("ThreadLocal MDC, not cleared: task 2 logged " + logged.get(1));
}

// A ScopedValue (final in JDK 25) is bound for the extent of a call and unbound after it: nothing to clear, and it
// is inherited by nothing it was not passed to. It plays the MDC's role without the leak.
static final ScopedValue<String> WORKER = ScopedValue.newInstance();
static final ScopedValue<Integer> TASK = ScopedValue.newInstance();
void log(String message) {
    logged.add(String.format("worker=%s task=%s %s", WORKER.orElse("-"), TASK.isBound() ? TASK.get() : "-", message));
}

void scopedContext() throws Exception {
    logged.clear();
    try (ExecutorService pool = Executors.newFixedThreadPool(3)) {
        for (int task = 1; task <= 30; task++) {
            int t = task;
            String worker = "w" + (t % 3);
            pool.submit(() -> ScopedValue.where(WORKER, worker).where(TASK, t).run(() -> { log("start"); log("done"); }));
        }
    }
    log("all submitted tasks finished");                  // outside any scope: no context
    check(logged.size() == 61, "two lines per task, plus one");
    for (int t = 1; t <= 30; t++) {
        String tag = "worker=w" + (t % 3) + " task=" + t + " ";
        check(logged.stream().filter(l -> l.startsWith(tag)).count() == 2, "both lines of task " + t + " carry its own tags");
    }
    check(logged.getLast().startsWith("worker=- task=- "), "outside the scope nothing is bound");
    System.out.println("ScopedValue context: 60 lines, each with its own worker and task; e.g. " + logged.getFirst());
}

// 2. Metrics: a counter only goes up; a histogram counts observations into cumulative buckets, plus their sum and
//    count. Both are rendered in the Prometheus text format and served over HTTP for a scraper.
class Metrics {
    final LongAdder ok = new LongAdder(), failed = new LongAdder();
    final double[] bounds = {0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1};
    final LongAdder[] buckets = new LongAdder[bounds.length + 1];         // the last one is +Inf
    final DoubleAdder sum = new DoubleAdder();
    Metrics() { for (int i = 0; i < buckets.length; i++) buckets[i] = new LongAdder(); }
    void observe(double seconds, boolean success) {
        (success ? ok : failed).increment();
        int i = 0;
        while (i < bounds.length && seconds > bounds[i]) i++;
        buckets[i].increment();                                           // one bucket per observation...
        sum.add(seconds);
    }
    String render() {
        var out = new StringBuilder();
        out.append("# HELP parlab_tasks_total Tasks finished, by outcome.\n# TYPE parlab_tasks_total counter\n");
        out.append("parlab_tasks_total{outcome=\"ok\"} ").append(ok.sum()).append('\n');
        out.append("parlab_tasks_total{outcome=\"failed\"} ").append(failed.sum()).append('\n');
        out.append("# HELP parlab_task_seconds Task latency.\n# TYPE parlab_task_seconds histogram\n");
        long cumulative = 0;                                              // ...made cumulative when rendered
        for (int i = 0; i < buckets.length; i++) {
            cumulative += buckets[i].sum();
            String le = i < bounds.length ? String.valueOf(bounds[i]) : "+Inf";
            out.append("parlab_task_seconds_bucket{le=\"").append(le).append("\"} ").append(cumulative).append('\n');
        }
        out.append("parlab_task_seconds_sum ").append(sum.sum()).append('\n');
        out.append("parlab_task_seconds_count ").append(cumulative).append('\n');
        return out.toString();
    }
}

// Parse "name{labels} value" lines back into a map, skipping the # lines.
Map<String, Double> parse(String text) {
    var values = new LinkedHashMap<String, Double>();
    for (String line : text.lines().toList()) {
        if (line.isBlank() || line.startsWith("#")) continue;
        int space = line.lastIndexOf(' ');
        values.put(line.substring(0, space), Double.parseDouble(line.substring(space + 1)));
    }
    return values;
}

void metricsOverHttp() throws Exception {
    var metrics = new Metrics();
    var random = new SplittableRandom(5);
    int n = 10_000, failures = 0;
    try (ExecutorService workers = Executors.newFixedThreadPool(4)) {
        for (int i = 0; i < n; i++) {
            double latency = Math.min(2.0, -Math.log(1 - random.nextDouble()) * 0.04);   // mostly fast, a long tail
            boolean success = i % 50 != 0;
            if (!success) failures++;
            workers.submit(() -> metrics.observe(latency, success));
        }
    }
    HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/metrics", exchange -> {
        byte[] body = metrics.render().getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "text/plain; version=0.0.4; charset=utf-8");
        exchange.sendResponseHeaders(200, body.length);
        try (var os = exchange.getResponseBody()) { os.write(body); }
    });
    server.start();
    String scraped;
    try (HttpClient client = HttpClient.newHttpClient()) {
        var uri = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/metrics");
        var response = client.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString());
        check(response.statusCode() == 200, "the scrape answered 200");
        scraped = response.body();
    } finally {
        server.stop(0);
    }
    var values = parse(scraped);
    check(values.get("parlab_tasks_total{outcome=\"ok\"}") == n - failures, "the ok counter is right");
    check(values.get("parlab_tasks_total{outcome=\"failed\"}") == failures, "the failed counter is right");
    check(values.get("parlab_task_seconds_count") == n, "the histogram counted every observation");
    check(values.get("parlab_task_seconds_bucket{le=\"+Inf\"}") == n, "the +Inf bucket equals the count");
    double previous = 0;
    for (var e : values.entrySet())
        if (e.getKey().startsWith("parlab_task_seconds_bucket")) { check(e.getValue() >= previous, "buckets are cumulative"); previous = e.getValue(); }
    System.out.println("scraped /metrics over HTTP, parsed back and checked:");
    scraped.lines().filter(l -> !l.startsWith("# HELP")).forEach(l -> System.out.println("  " + l));
}

// 3. A child's log lines, re-tagged by the parent. The child here is `java -version`, which writes three lines;
//    the parent prefixes each with the worker's name and pid before putting it into its own log.
void childLines() throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process child = new ProcessBuilder(java, "-version").redirectErrorStream(true).start();
    String tag = "[worker-1 pid=" + child.pid() + "] ";
    List<String> reemitted = new ArrayList<>();
    try (var lines = child.inputReader()) {
        for (String line; (line = lines.readLine()) != null; ) reemitted.add(tag + line);
    }
    check(child.waitFor(30, TimeUnit.SECONDS) && child.exitValue() == 0, "the child ended well");
    check(!reemitted.isEmpty() && reemitted.stream().allMatch(l -> l.startsWith(tag)), "every child line carries its worker tag");
    reemitted.forEach(System.out::println);
}

threadLocalLeaks();
scopedContext();
metricsOverHttp();
childLines();
/exit
