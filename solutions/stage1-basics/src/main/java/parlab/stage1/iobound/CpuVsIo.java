package parlab.stage1.iobound;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * s1e08 · CPU-bound vs I/O-bound.
 *
 * <p>Two kinds of waiting call for two kinds of threads. A <b>CPU-bound</b> task keeps a core busy the whole time:
 * more threads than cores only make them take turns, so its pool has one thread per core. An <b>I/O-bound</b> task
 * spends nearly all its time waiting for a disk, a database or a server far away: while it waits it needs no core
 * at all, so the more of them wait at once, the sooner they are all done. Two hundred requests that each take
 * 100 ms take 20 s one after the other, 10 s on a 2-thread pool, and about 100 ms when all two hundred wait at
 * once. Platform threads are too expensive to start one per request by the thousand; <b>virtual threads</b> are
 * made for exactly that: a blocked virtual thread gives its carrier (platform) thread back to run another one.
 *
 * <p>The contract of {@link #fetchAll}, which the tests pin down against a local HTTP server whose every answer
 * takes 100 ms:
 * <ul>
 *   <li>every URI is fetched with a GET sent by the blocking {@link HttpClient#send}, each request on its own new
 *       virtual thread, all of them at once: 200 requests of 100 ms finish in well under 2 s;
 *   <li>the result holds the response bodies in the order of {@code uris}, whatever order the answers arrive in;
 *   <li>a response with a status other than 200 fails the call with an {@link IOException} whose message names the
 *       URI and the status; a request that fails with an {@code IOException} (say, nobody listening) fails the call
 *       with that {@code IOException}, not a wrapper of another type;
 *   <li>every thread it started has ended when it returns or throws; the client belongs to the caller and stays
 *       open.
 * </ul>
 *
 * <p>The contract of the CPU side:
 * <ul>
 *   <li>{@link #cpuWorkers} is the override when there is one (at least 1, or an {@link IllegalArgumentException}
 *       that names it), and otherwise the number of processors this JVM may use, as the runtime reports it (a
 *       container's CPU limit or {@code -XX:ActiveProcessorCount} changes it: never hard-code it);
 *   <li>{@link #newCpuPool} runs up to {@code cpuWorkers(override)} tasks at once on exactly that many platform
 *       threads, never more, reusing them from task to task; the caller shuts it down.
 * </ul>
 *
 * <p>Baseline experiment: {@code ./lab bench cpu-vs-io} runs 1,000 tasks that each block for 10 ms on a fixed
 * pool of 200 platform threads (a classic server's default), on one new platform thread per task, and on one
 * virtual thread per task. The pool needs five rounds of 10 ms; the other two wait all at once, and virtual
 * threads start for a fraction of a platform thread's cost.
 *
 * <p>Reference solution. {@link #fetchAll} submits every request to a
 * {@link Executors#newVirtualThreadPerTaskExecutor()} opened in try-with-resources, then reads the futures in
 * request order: the caller waits for the first request, then the second (most likely done by then), and so on,
 * so the order costs nothing. The first failure found shuts the executor down at once ({@code shutdownNow}
 * interrupts the requests still waiting, and an interrupted {@code send} cancels its exchange), and
 * {@code close()} waits for every virtual thread to end before the exception leaves. The CPU pool is a plain
 * fixed pool of platform threads named {@code cpu-worker-N}, so that a thread dump says what they are.
 *
 * <p>Other ways: {@code client.sendAsync} returns a {@code CompletableFuture} without any thread per request,
 * which is how the same fan-out was written before virtual threads; the blocking style reads like sequential code
 * and gives stack traces that make sense. {@code StructuredTaskScope} (a preview API in JDK 25) expresses "these
 * subtasks live and die with this call" directly, cancellation included. For the CPU side, a
 * {@code ForkJoinPool} of the same parallelism suits recursive, divide-and-conquer work better (work stealing), at
 * the price of extra threads when its tasks block.
 */
public final class CpuVsIo {
    private CpuVsIo() {
    }

    /** The bodies of GET requests to {@code uris}, all in flight at once, in the order of {@code uris}. */
    public static List<String> fetchAll(HttpClient client, List<URI> uris) throws IOException, InterruptedException {
        try (ExecutorService perRequest = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<String>> pending = new ArrayList<>(uris.size());
            for (URI uri : uris) {
                pending.add(perRequest.submit(() -> get(client, uri)));
            }
            List<String> bodies = new ArrayList<>(uris.size());
            for (Future<String> body : pending) {
                try {
                    bodies.add(body.get());
                } catch (ExecutionException failed) {
                    perRequest.shutdownNow(); // no point waiting for the others: cancel them
                    throw unwrap(failed.getCause());
                }
            }
            return bodies;
        } // close() waits until every request's thread has ended, on success and on failure alike
    }

    private static String get(HttpClient client, URI uri) throws IOException, InterruptedException {
        HttpResponse<String> response = client.send(HttpRequest.newBuilder(uri).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IOException("GET " + uri + " answered status " + response.statusCode());
        }
        return response.body();
    }

    private static IOException unwrap(Throwable cause) {
        if (cause instanceof IOException io) {
            return io;
        }
        if (cause instanceof RuntimeException unchecked) {
            throw unchecked;
        }
        if (cause instanceof Error error) {
            throw error;
        }
        return new IOException("a request failed", cause); // an InterruptedException of a request thread
    }

    /** How many threads CPU-bound work should get: {@code override} if present, else the processors available. */
    public static int cpuWorkers(OptionalInt override) {
        if (override.isPresent()) {
            int workers = override.getAsInt();
            if (workers < 1) {
                throw new IllegalArgumentException("override must be at least 1, was " + workers);
            }
            return workers;
        }
        return Runtime.getRuntime().availableProcessors();
    }

    /** A pool for CPU-bound tasks: exactly {@code cpuWorkers(override)} platform threads. */
    public static ExecutorService newCpuPool(OptionalInt override) {
        return Executors.newFixedThreadPool(cpuWorkers(override),
                Thread.ofPlatform().name("cpu-worker-", 1).factory());
    }
}
