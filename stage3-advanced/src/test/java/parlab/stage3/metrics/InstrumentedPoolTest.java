package parlab.stage3.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.assertj.core.api.Assertions.within;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import io.prometheus.metrics.exporter.httpserver.HTTPServer;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.Socket;
import java.net.SocketException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import parlab.testing.ChildJvm;
import parlab.testing.IgnoreThreads;

/**
 * prometheus-metrics-core starts one JVM-wide daemon thread, {@code prometheus-metrics-scheduler-0}, the first time a
 * metric with exemplars is updated, and keeps it for the JVM's life: it is the library's, not a leak of yours.
 */
@IgnoreThreads("prometheus-metrics-scheduler-")
class InstrumentedPoolTest {
    private static final String PACKAGE = "parlab.stage3.metrics";
    private static final org.slf4j.Logger TASK_LOG = LoggerFactory.getLogger(PACKAGE + ".work");

    /** Keeps every event logged under this package, with its MDC and thread captured when it was logged. */
    static final class Capture extends AppenderBase<ILoggingEvent> {
        final ConcurrentLinkedQueue<ILoggingEvent> events = new ConcurrentLinkedQueue<>();

        @Override
        protected void append(ILoggingEvent event) {
            event.prepareForDeferredProcessing(); // the MDC and the thread name are read now, not later
            events.add(event);
        }

        List<ILoggingEvent> from(String logger) {
            return events.stream().filter(e -> e.getLoggerName().equals(logger)).toList();
        }
    }

    /** A clock per thread: a task advances its own thread's time, so that parallel tasks do not blur each other's. */
    static final class ThreadClock implements Clock {
        private final ThreadLocal<long[]> now = ThreadLocal.withInitial(() -> new long[] {1_000_000_000L});

        @Override
        public long nanoTime() {
            return now.get()[0];
        }

        void advance(Duration duration) {
            now.get()[0] += duration.toNanos();
        }
    }

    private final Capture capture = new Capture();
    private Logger logger;
    private Level oldLevel;
    private boolean oldAdditive;

    @BeforeEach
    void captureLogs() {
        logger = ((LoggerContext) LoggerFactory.getILoggerFactory()).getLogger(PACKAGE);
        oldLevel = logger.getLevel();
        oldAdditive = logger.isAdditive();
        logger.setLevel(Level.INFO);
        logger.setAdditive(false); // keep the console quiet
        capture.setContext(logger.getLoggerContext());
        capture.start();
        logger.addAppender(capture);
    }

    @AfterEach
    void restoreLogging() {
        logger.detachAppender(capture);
        capture.stop();
        logger.setLevel(oldLevel);
        logger.setAdditive(oldAdditive);
        MDC.clear();
    }

    // ---- a small reader of the Prometheus text format ----

    private static final Pattern SAMPLE = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\\{(.*)})?\\s+(\\S+)");
    private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\.)*)\"");

    record Sample(String name, Map<String, String> labels, double value) {
    }

    static List<Sample> parse(String text) {
        List<Sample> samples = new ArrayList<>();
        for (String line : text.split("\n")) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            Matcher m = SAMPLE.matcher(line);
            assertThat(m.find()).as("a line of the scrape in the Prometheus text format: %s", line).isTrue();
            Map<String, String> labels = new TreeMap<>();
            if (m.group(2) != null) {
                Matcher l = LABEL.matcher(m.group(2));
                while (l.find()) {
                    labels.put(l.group(1), l.group(2));
                }
            }
            samples.add(new Sample(m.group(1), labels, Double.parseDouble(m.group(3))));
        }
        return samples;
    }

    static double total(List<Sample> samples, String name, Map<String, String> having) {
        return samples.stream().filter(s -> s.name().equals(name))
                .filter(s -> s.labels().entrySet().containsAll(having.entrySet())).mapToDouble(Sample::value).sum();
    }

    // ---- tests ----

    @Test
    void aScrapeOverHttpShowsTheCountsAndLatencies() throws Exception {
        PrometheusRegistry registry = new PrometheusRegistry();
        ThreadClock clock = new ThreadClock();
        InstrumentedPool pool = new InstrumentedPool(registry, clock);
        List<Task> tasks = new ArrayList<>();
        double expectedSeconds = 0;
        int fastOnes = 0;
        for (int i = 0; i < 20; i++) {
            Duration took = Duration.ofMillis((i % 5 + 1) * 10); // 10, 20, 30, 40, 50 ms
            expectedSeconds += took.toNanos() / 1e9;
            fastOnes += took.toMillis() <= 25 ? 1 : 0;
            boolean fails = i % 5 == 4;
            tasks.add(new Task("t" + i, () -> {
                clock.advance(took);
                if (fails) {
                    throw new IllegalStateException("task fails on purpose");
                }
            }));
        }
        assertThat(pool.runAll(tasks, 3)).as("failed tasks reported by runAll").isEqualTo(4);

        String body;
        URI uri;
        try (HTTPServer server = InstrumentedPool.serve(registry); HttpClient client = HttpClient.newHttpClient()) {
            uri = URI.create("http://127.0.0.1:" + server.getPort() + "/metrics");
            HttpResponse<String> response = client.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(5)).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).as("status of GET %s", uri).isEqualTo(200);
            assertThat(response.headers().firstValue("Content-Type")).as("content type of the scrape")
                    .hasValueSatisfying(type -> assertThat(type).startsWith("text/plain"));
            body = response.body();
            Optional<InetAddress> outside = nonLoopbackAddress();
            if (outside.isPresent()) {
                try (Socket socket = new Socket()) {
                    assertThat(catchThrowable(() -> socket.connect(new InetSocketAddress(outside.get(), server.getPort()), 2000)))
                            .as("connecting to the metrics port from %s: the server must listen on 127.0.0.1 only, "
                                    + "not on every interface", outside.get())
                            .isInstanceOf(IOException.class);
                }
            }
        }
        List<Sample> samples = parse(body);
        assertThat(total(samples, InstrumentedPool.TASKS, Map.of("outcome", "ok")))
                .as("%s{outcome=\"ok\"} summed over workers, in:%n%s", InstrumentedPool.TASKS, body).isEqualTo(16.0);
        assertThat(total(samples, InstrumentedPool.TASKS, Map.of("outcome", "failed")))
                .as("%s{outcome=\"failed\"} summed over workers", InstrumentedPool.TASKS).isEqualTo(4.0);
        assertThat(samples.stream().filter(s -> s.name().equals(InstrumentedPool.TASKS)).map(s -> s.labels().get("worker")))
                .as("worker labels of %s: the names of the pool's threads", InstrumentedPool.TASKS)
                .isNotEmpty().allMatch(w -> w != null && w.matches("worker-[0-2]"));
        String d = InstrumentedPool.DURATION;
        assertThat(total(samples, d + "_count", Map.of())).as("%s_count: one observation per task, failed ones too", d)
                .isEqualTo(20.0);
        assertThat(total(samples, d + "_sum", Map.of())).as("%s_sum: the tasks' durations by the clock, in seconds", d)
                .isCloseTo(expectedSeconds, within(1e-9));
        assertThat(total(samples, d + "_bucket", Map.of("le", "0.025")))
                .as("%s_bucket{le=\"0.025\"}: tasks that took at most 25 ms (the default buckets)", d)
                .isEqualTo(fastOnes);
        assertThat(total(samples, d + "_bucket", Map.of("le", "+Inf"))).as("%s_bucket{le=\"+Inf\"}", d).isEqualTo(20.0);

        try (HttpClient client = HttpClient.newHttpClient()) {
            URI closed = uri;
            assertThat(catchThrowable(() -> client.send(HttpRequest.newBuilder(closed).timeout(Duration.ofSeconds(5)).build(),
                    HttpResponse.BodyHandlers.ofString())))
                    .as("a scrape after the server was closed must fail: close() must stop the server")
                    .isInstanceOf(IOException.class);
        }
    }

    @Test
    void everyWorkerLogLineCarriesItsWorkerAndTask() {
        int workers = 4;
        InstrumentedPool pool = new InstrumentedPool(new PrometheusRegistry(), Clock.SYSTEM);
        CyclicBarrier together = new CyclicBarrier(workers);
        List<Task> tasks = new ArrayList<>();
        for (int i = 0; i < 24; i++) {
            String id = "task-" + i;
            boolean waits = i < workers;
            tasks.add(new Task(id, () -> {
                TASK_LOG.info("working on {}", id);
                if (waits) {
                    try {
                        together.await(5, TimeUnit.SECONDS);
                    } catch (Exception e) {
                        throw new IllegalStateException("the first " + workers + " tasks never ran at the same time", e);
                    }
                }
                if (id.equals("task-13")) {
                    throw new IllegalArgumentException("task-13 fails on purpose");
                }
            }));
        }
        assertThat(pool.runAll(tasks, workers))
                .as("failed tasks: 1 expected (task-13); more means the first %d tasks, which wait for each other, "
                        + "did not run on %d threads at once", workers, workers)
                .isEqualTo(1);

        List<ILoggingEvent> workerEvents = capture.events.stream()
                .filter(e -> e.getThreadName().startsWith("worker-")).toList();
        assertThat(workerEvents).as("log lines written on the pool's threads (named worker-0, worker-1, ...)")
                .hasSizeGreaterThanOrEqualTo(48);
        for (ILoggingEvent event : workerEvents) {
            Map<String, String> mdc = event.getMDCPropertyMap();
            assertThat(mdc.get(InstrumentedPool.WORKER)).as("MDC worker of \"%s\" logged on %s", event.getFormattedMessage(),
                    event.getThreadName()).isEqualTo(event.getThreadName());
            assertThat(mdc.get(InstrumentedPool.TASK)).as("MDC task of \"%s\" logged on %s", event.getFormattedMessage(),
                    event.getThreadName()).isNotNull();
        }
        for (ILoggingEvent event : capture.from(TASK_LOG.getName())) {
            assertThat(event.getFormattedMessage()).as("the task's own line, with its MDC task")
                    .isEqualTo("working on " + event.getMDCPropertyMap().get(InstrumentedPool.TASK));
        }
        Set<String> logged = new TreeSet<>();
        capture.from(InstrumentedPool.class.getName()).forEach(e -> logged.add(e.getMDCPropertyMap().get(InstrumentedPool.TASK)));
        assertThat(logged).as("tasks that the pool itself logged at least one line about (at INFO or above)")
                .containsExactlyInAnyOrderElementsOf(tasks.stream().map(Task::id).toList());
        Set<String> firstWorkers = new TreeSet<>();
        capture.from(TASK_LOG.getName()).stream()
                .filter(e -> Set.of("task-0", "task-1", "task-2", "task-3").contains(e.getMDCPropertyMap().get("task")))
                .forEach(e -> firstWorkers.add(e.getMDCPropertyMap().get(InstrumentedPool.WORKER)));
        assertThat(firstWorkers).as("workers of the 4 tasks that ran at the same time").hasSize(workers);
        assertThat(capture.events).as("the WARN line about task-13's failure, with its exception")
                .anySatisfy(e -> {
                    assertThat(e.getLevel()).isEqualTo(Level.WARN);
                    assertThat(e.getMDCPropertyMap()).containsEntry(InstrumentedPool.TASK, "task-13");
                    assertThat(e.getThrowableProxy()).isNotNull();
                    assertThat(e.getThrowableProxy().getMessage()).isEqualTo("task-13 fails on purpose");
                });
    }

    @Test
    void runPutsTheCallersMdcBackEvenWhenTheTaskThrows() {
        PrometheusRegistry registry = new PrometheusRegistry();
        ThreadClock clock = new ThreadClock();
        InstrumentedPool pool = new InstrumentedPool(registry, clock);
        MDC.put("request", "r-42");
        MDC.put(InstrumentedPool.WORKER, "outer");
        Map<String, String> before = MDC.getCopyOfContextMap();
        String thread = Thread.currentThread().getName();

        Map<String, String> inside = new HashMap<>();
        assertThat(pool.run(new Task("inline", () -> {
            inside.putAll(MDC.getCopyOfContextMap());
            clock.advance(Duration.ofMillis(7));
        }))).as("run() of a task that completes").isTrue();
        assertThat(inside).as("the MDC seen by the task: worker = this thread's name, task = its id, the rest kept")
                .containsEntry(InstrumentedPool.WORKER, thread).containsEntry(InstrumentedPool.TASK, "inline")
                .containsEntry("request", "r-42");
        assertThat(MDC.getCopyOfContextMap()).as("the caller's MDC after run(): exactly as before").isEqualTo(before);

        assertThat(pool.run(new Task("boom", () -> {
            clock.advance(Duration.ofMillis(3));
            throw new IllegalStateException("boom");
        }))).as("run() of a task that throws: false, not an exception").isFalse();
        assertThat(MDC.getCopyOfContextMap()).as("the caller's MDC after a task that threw: exactly as before")
                .isEqualTo(before);

        List<Sample> samples = parse(scrape(registry));
        assertThat(total(samples, InstrumentedPool.TASKS, Map.of("worker", thread, "outcome", "ok")))
                .as("tasks_total{worker=\"%s\",outcome=\"ok\"}", thread).isEqualTo(1.0);
        assertThat(total(samples, InstrumentedPool.TASKS, Map.of("worker", thread, "outcome", "failed")))
                .as("tasks_total{worker=\"%s\",outcome=\"failed\"}", thread).isEqualTo(1.0);
        assertThat(total(samples, InstrumentedPool.DURATION + "_sum", Map.of("worker", thread)))
                .as("task_duration_seconds_sum: 7 ms + 3 ms by the clock").isCloseTo(0.010, within(1e-9));
    }

    /** An IPv4 address of this machine that is not the loopback, if it has one. */
    private static Optional<InetAddress> nonLoopbackAddress() throws SocketException {
        return NetworkInterface.networkInterfaces().filter(n -> {
            try {
                return n.isUp() && !n.isLoopback();
            } catch (SocketException e) {
                return false;
            }
        }).flatMap(NetworkInterface::inetAddresses).filter(a -> a instanceof Inet4Address && !a.isLoopbackAddress())
                .findFirst();
    }

    /** The registry in the text format, without HTTP. */
    private static String scrape(PrometheusRegistry registry) {
        var out = new java.io.ByteArrayOutputStream();
        try {
            io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter.create().write(out, registry.scrape());
        } catch (IOException e) {
            throw new AssertionError(e);
        }
        return out.toString(java.nio.charset.StandardCharsets.UTF_8);
    }

    @Test
    void childLinesAreAttributedToTheirWorker() throws Exception {
        int lines = 40;
        try (ChildJvm c1 = ChildJvm.start(ChildLogMain.class, List.of("-Xmx32m", "-XX:TieredStopAtLevel=1", "-Xshare:auto"), "c1", "" + lines);
                ChildJvm c2 = ChildJvm.start(ChildLogMain.class, List.of("-Xmx32m", "-XX:TieredStopAtLevel=1", "-Xshare:auto"), "c2", "" + lines);
                ExecutorService relays = Executors.newFixedThreadPool(2)) {
            Future<Long> r1 = relays.submit(() -> InstrumentedPool.relay(c1.process(), "c1"));
            Future<Long> r2 = relays.submit(() -> InstrumentedPool.relay(c2.process(), "c2"));
            assertThat(r1.get(10, TimeUnit.SECONDS)).as("lines relayed from child c1").isEqualTo(lines);
            assertThat(r2.get(10, TimeUnit.SECONDS)).as("lines relayed from child c2").isEqualTo(lines);
        }
        List<ILoggingEvent> events = capture.from(InstrumentedPool.CHILD_LOGGER);
        for (String child : List.of("c1", "c2")) {
            List<ILoggingEvent> mine = events.stream()
                    .filter(e -> e.getFormattedMessage().startsWith("child " + child + " ")).toList();
            assertThat(mine.stream().map(ILoggingEvent::getFormattedMessage).toList())
                    .as("lines of child %s on logger %s, in order, without their level prefix", child,
                            InstrumentedPool.CHILD_LOGGER)
                    .containsExactlyElementsOf(java.util.stream.IntStream.range(0, lines)
                            .mapToObj(i -> ChildLogMain.text(child, i)).toList());
            for (int i = 0; i < lines; i++) {
                ILoggingEvent event = mine.get(i);
                assertThat(event.getMDCPropertyMap().get(InstrumentedPool.WORKER))
                        .as("MDC worker of \"%s\": the child that wrote it", event.getFormattedMessage()).isEqualTo(child);
                assertThat(event.getLevel().toString()).as("level of \"%s\"", event.getFormattedMessage())
                        .isEqualTo(ChildLogMain.level(i));
            }
        }
        assertThat(events).as("every line on %s came from a child", InstrumentedPool.CHILD_LOGGER).hasSize(2 * lines);
    }

    @Test
    void badArgumentsAreRejected() {
        InstrumentedPool pool = new InstrumentedPool(new PrometheusRegistry(), Clock.SYSTEM);
        assertThatThrownBy(() -> pool.runAll(List.of(new Task("t", () -> { })), 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("workers");
    }
}
