package parlab.stage1.iobound;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.util.List;
import java.util.OptionalInt;
import java.util.concurrent.ExecutorService;

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
 * <p>Things to think about: what would the CPU pool do with the 200 requests, and how long would they take? Why
 * does a virtual thread help nothing for a task that never blocks? Where in {@code fetchAll} does the calling
 * thread wait, and what makes sure no request thread outlives the call?
 */
public final class CpuVsIo {
    private CpuVsIo() {
    }

    /** The bodies of GET requests to {@code uris}, all in flight at once, in the order of {@code uris}. */
    public static List<String> fetchAll(HttpClient client, List<URI> uris) throws IOException, InterruptedException {
        // TODO: open an executor that starts one virtual thread per task, so that it is closed on every path
        // TODO: in each task, send a GET with the blocking client.send and check the response's status
        // TODO: collect the bodies in the order of uris, not in the order the answers arrive
        // TODO: when a task failed, let the caller see an IOException (unwrap what the Future wrapped)
        throw new UnsupportedOperationException("TODO: fetchAll");
    }

    /** How many threads CPU-bound work should get: {@code override} if present, else the processors available. */
    public static int cpuWorkers(OptionalInt override) {
        // TODO: the override wins (reject values below 1); without one, ask the runtime, do not guess
        throw new UnsupportedOperationException("TODO: cpuWorkers");
    }

    /** A pool for CPU-bound tasks: exactly {@code cpuWorkers(override)} platform threads. */
    public static ExecutorService newCpuPool(OptionalInt override) {
        // TODO: a pool with a fixed number of platform threads
        throw new UnsupportedOperationException("TODO: newCpuPool");
    }
}
