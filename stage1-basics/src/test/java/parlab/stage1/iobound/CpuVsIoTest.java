package parlab.stage1.iobound;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.OptionalInt;
import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import parlab.testing.ChildJvm;

class CpuVsIoTest {
    private SlowServer server;
    private HttpClient client;

    @BeforeEach
    void startServerAndClient() throws Exception {
        server = SlowServer.start();
        client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    }

    @AfterEach
    void stopServerAndClient() {
        if (server != null) {
            server.close(); // first, so that any request still waiting fails at once
        }
        if (client != null) {
            client.close();
        }
    }

    /**
     * Sends {@code connections} short requests at once, without the code under test: this loads and compiles the
     * HTTP code on both sides and leaves that many open keep-alive connections in the client's pool, so that a
     * timed test times waiting for answers, not class loading and TCP handshakes on a busy machine.
     */
    private void warmUp(int connections) throws Exception {
        try (ExecutorService warmUp = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<HttpResponse<String>>> answers = new ArrayList<>();
            for (int i = 0; i < connections; i++) {
                HttpRequest request = HttpRequest.newBuilder(server.item(-1, 20)).build();
                answers.add(warmUp.submit(() -> client.send(request, HttpResponse.BodyHandlers.ofString())));
            }
            for (Future<HttpResponse<String>> answer : answers) {
                assertThat(answer.get().statusCode()).as("warm-up request answered").isEqualTo(200);
            }
        }
    }

    private List<URI> items(int count, long delayMillis) {
        return IntStream.range(0, count).mapToObj(i -> server.item(i, delayMillis)).toList();
    }

    private static List<String> bodies(int count) {
        return IntStream.range(0, count).mapToObj(i -> "item-" + i).toList();
    }

    @Test
    void twoHundredSlowRequestsOverlap() throws Exception {
        warmUp(200);
        server.resetPeak();
        List<URI> uris = items(200, 100);
        List<String> bodies = assertTimeoutPreemptively(Duration.ofSeconds(2), () -> CpuVsIo.fetchAll(client, uris),
                "200 requests of 100 ms each take 20 s one after the other; all at once they take a fraction of "
                        + "a second. Are they really all in flight together (one virtual thread each)?");
        assertThat(bodies).as("bodies of the 200 responses, in request order").isEqualTo(bodies(200));
        assertThat(server.peakInFlight()).as("requests the server held at the same time (overlap)")
                .isGreaterThanOrEqualTo(10);
    }

    @Test
    void bodiesComeBackInRequestOrderWhateverOrderTheyArriveIn() throws Exception {
        int count = 40;
        // the first request answers last: item 0 after 200 ms, item 39 after 5 ms
        List<URI> uris = IntStream.range(0, count).mapToObj(i -> server.item(i, (count - i) * 5L)).toList();
        assertThat(CpuVsIo.fetchAll(client, uris)).as("bodies when the answers arrive in reverse order")
                .isEqualTo(bodies(count));
    }

    @Test
    void everyRequestIsSentFromItsOwnVirtualThread() throws Exception {
        RecordingClient recording = new RecordingClient(client);
        List<String> bodies = CpuVsIo.fetchAll(recording, items(50, 20));
        assertThat(bodies).as("bodies").isEqualTo(bodies(50));
        assertThat(recording.asyncSenders()).as("requests sent with sendAsync: use the blocking send on a virtual "
                + "thread").isEmpty();
        List<Thread> senders = recording.blockingSenders();
        assertThat(senders).as("requests sent with the blocking client.send").hasSize(50);
        assertThat(senders).as("threads that sent a request: every one should be virtual")
                .allMatch(Thread::isVirtual);
        assertThat(new HashSet<>(senders)).as("distinct threads for 50 requests: one new thread per request")
                .hasSize(50);
        assertThat(recording.sendsUnderWay()).as("requests still under way after fetchAll returned").isZero();
    }

    @Test
    void anEmptyListIsAnEmptyResult() throws Exception {
        assertThat(CpuVsIo.fetchAll(client, List.of())).as("bodies for no URI").isEmpty();
    }

    @Test
    void aBadStatusFailsTheCallWithAnIOExceptionNamingTheUri() {
        RecordingClient recording = new RecordingClient(client);
        // items 0-6 answer after 20 ms, item 7 fails at once, items 8-19 take 1 s: the failure is known long
        // before the last answers
        List<URI> uris = IntStream.range(0, 20).mapToObj(i -> server.item(i, i < 7 ? 20 : 1_000))
                .collect(Collectors.toCollection(ArrayList::new));
        URI broken = server.failing(7, 500);
        uris.set(7, broken);
        assertThatThrownBy(() -> CpuVsIo.fetchAll(recording, uris), "fetchAll when request 7 of 20 answers 500")
                .isInstanceOf(IOException.class)
                .hasMessageContaining(broken.toString())
                .hasMessageContaining("500");
        assertThat(recording.sendsUnderWay())
                .as("requests still under way after fetchAll threw: wait for them (or cancel them) before leaving")
                .isZero();
    }

    @Test
    void anUnreachableServerIsAnIOException() throws Exception {
        int closedPort;
        try (ServerSocket probe = new ServerSocket(0)) {
            closedPort = probe.getLocalPort(); // free a moment ago, closed now: nobody listens there
        }
        List<URI> uris = new ArrayList<>(items(5, 10));
        uris.add(URI.create("http://127.0.0.1:" + closedPort + "/item?id=5"));
        assertThatThrownBy(() -> CpuVsIo.fetchAll(client, uris),
                "fetchAll when one request cannot connect: the request's own IOException, not a wrapper")
                .isInstanceOf(IOException.class);
    }

    @Test
    void cpuWorkersFollowTheProcessorsTheJvmReports() {
        assertThat(CpuVsIo.cpuWorkers(OptionalInt.empty())).as("workers without an override")
                .isEqualTo(Runtime.getRuntime().availableProcessors());
    }

    /** Runs in a child JVM that believes it has 3 processors, and prints cpuWorkers() there. */
    public static final class CpuWorkersProbe {
        public static void main(String[] args) {
            System.out.println(CpuVsIo.cpuWorkers(OptionalInt.empty()));
        }
    }

    @Test
    void cpuWorkersFollowAProcessorLimitSetOnTheJvm() throws Exception {
        List<String> options = List.of("-XX:ActiveProcessorCount=3", "-Xmx64m", "-XX:TieredStopAtLevel=1");
        try (ChildJvm child = ChildJvm.start(CpuWorkersProbe.class, options)) {
            String out = new String(child.process().getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            String err = new String(child.process().getErrorStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            int exit = child.waitFor(Duration.ofSeconds(10));
            assertThat(out).as("cpuWorkers() in a JVM started with -XX:ActiveProcessorCount=3 (exit code %d, "
                    + "stderr: %s)", exit, err).isEqualTo("3");
        }
    }

    @Test
    void theOverrideWins() {
        assertThat(CpuVsIo.cpuWorkers(OptionalInt.of(7))).as("workers with override 7").isEqualTo(7);
        assertThat(CpuVsIo.cpuWorkers(OptionalInt.of(1))).as("workers with override 1").isEqualTo(1);
        assertThatThrownBy(() -> CpuVsIo.cpuWorkers(OptionalInt.of(0)), "override 0")
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("override");
        assertThatThrownBy(() -> CpuVsIo.cpuWorkers(OptionalInt.of(-2)), "override -2")
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("override");
    }

    /**
     * Tasks meet at a barrier in groups of {@code workers}: a pool with fewer threads can never fill a group, and
     * one with more threads than {@code workers} shows more than that many distinct threads.
     */
    @ParameterizedTest(name = "override {0} (0 = none)")
    @ValueSource(ints = {0, 1, 3})
    void theCpuPoolRunsExactlyThatManyPlatformThreads(int override) throws Exception {
        OptionalInt chosen = override == 0 ? OptionalInt.empty() : OptionalInt.of(override);
        int workers = override == 0 ? Runtime.getRuntime().availableProcessors() : override;
        CyclicBarrier group = new CyclicBarrier(workers);
        Callable<Thread> task = () -> {
            group.await(5, TimeUnit.SECONDS);
            return Thread.currentThread();
        };
        List<Thread> ran = new ArrayList<>();
        ExecutorService pool = CpuVsIo.newCpuPool(chosen);
        try (pool) {
            List<Future<Thread>> futures = new ArrayList<>();
            for (int i = 0; i < 4 * workers; i++) {
                futures.add(pool.submit(task));
            }
            for (Future<Thread> future : futures) {
                try {
                    ran.add(future.get());
                } catch (ExecutionException e) {
                    if (e.getCause() instanceof TimeoutException || e.getCause() instanceof BrokenBarrierException) {
                        group.reset();
                        pool.shutdownNow();
                        fail("%d tasks never ran at the same time: the pool has fewer than %d threads",
                                workers, workers);
                    }
                    throw e;
                }
            }
        }
        assertThat(ran).as("threads that ran the CPU tasks: CPU-bound work belongs on platform threads")
                .noneMatch(Thread::isVirtual);
        assertThat(new HashSet<>(ran)).as("distinct threads that ran %d tasks on a pool of %d workers",
                4 * workers, workers).hasSize(workers);
        assertThat(pool.isTerminated()).as("pool terminated after close()").isTrue();
    }
}
