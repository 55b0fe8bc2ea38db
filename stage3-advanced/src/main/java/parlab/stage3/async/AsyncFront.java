package parlab.stage3.async;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadFactory;

/**
 * s3e01 · Async meets parallel.
 *
 * <p>A request to a real service is rarely pure waiting or pure computing. It fetches a few things (from a database,
 * another service), which is waiting, then crunches them (scoring, rendering, compressing), which is CPU. The two want
 * different threads. Waiting is cheap on virtual threads: a thousand fetches in flight cost a thousand small stacks,
 * not a thousand cores (s1e08). Computing wants a <em>bounded</em> pool of about one thread per core: more threads
 * would only take turns. The trouble is at the seam. If the code that serves requests waits for the CPU pool with a
 * blocking {@code get()}, a burst of heavy requests fills the pool, every request thread waits behind it, and even
 * the requests that need no CPU at all stop being answered. The front must <em>hand over</em> the CPU part and carry
 * on; the CPU part completes the request when it is done.
 *
 * <p>Two more things every such front needs. A time limit: a request that has not been answered in time fails with
 * an exception that says so, rather than hanging its client. And cancellation that reaches the work: a
 * {@link CompletableFuture} that is cancelled or timed out does <em>not</em> stop the code computing its value, it
 * only stops waiting for it. Unless the front interrupts the fetches and the CPU task itself, a cancelled request
 * keeps a CPU thread busy for nothing.
 *
 * <p>The contract, which the tests pin down:
 * <ul>
 *   <li>{@link #lookup} and {@link #analyse} return at once, without waiting for any fetch or computation;
 *   <li>the keys of a request are fetched concurrently, each on a virtual thread of its own;
 *   <li>{@link #analyse} runs its {@link CpuTask} once every fetch of the request has succeeded, with the values in
 *       key order, on the CPU pool: {@code cpuThreads} threads at most, made by {@code cpuThreadFactory}, so that at
 *       most {@code cpuThreads} tasks compute at a time; no CPU task runs anywhere else, and no fetch runs on the pool;
 *   <li>a {@link #lookup} needs no CPU pool and is answered even while every CPU thread is busy;
 *   <li>a request not complete {@code timeout} after the call fails with a {@link RequestTimeoutException}; a failed
 *       fetch fails the request with the fetch's own exception; a request whose future is cancelled
 *       ({@code cancel(true)} or {@code cancel(false)}) is cancelled. In each case the request's fetches still running
 *       and its CPU task, if running, are interrupted, and a CPU task not yet started never starts;
 *   <li>{@link #close} cancels the requests in flight, shuts the pools down and waits until they have terminated;
 *       a request made after it throws {@link IllegalStateException}.
 * </ul>
 *
 * <p>Things to think about: {@code CompletableFuture.supplyAsync(..., pool)} gives you a future, but no way to
 * interrupt the thread running its supplier; {@code ExecutorService.submit} gives you a {@link
 * java.util.concurrent.Future} whose {@code cancel(true)} does. How can a request keep both? And who calls
 * {@code cancel(true)} on the work when the request's own future is cancelled, fails or times out?
 */
public final class AsyncFront implements AutoCloseable {

    /**
     * A front on {@code backend} with a CPU pool of {@code cpuThreads} threads made by {@code cpuThreadFactory}, whose
     * requests time out after {@code timeout}.
     */
    public AsyncFront(Backend backend, int cpuThreads, ThreadFactory cpuThreadFactory, Duration timeout) {
        // TODO: check the arguments; a virtual-thread executor for fetches, a fixed pool for CPU work, and something
        //       that fails a request when its time is up
        throw new UnsupportedOperationException("TODO: AsyncFront");
    }

    /** Fetches every key concurrently; completes with the values in key order, joined by ",". I/O only. */
    public CompletableFuture<String> lookup(List<String> keys) {
        // TODO: fan the fetches out, join the values when all are in; time limit and cancellation as for analyse
        throw new UnsupportedOperationException("TODO: lookup");
    }

    /** Fetches every key concurrently, then runs {@code task} on the CPU pool with the values in key order. */
    public <R> CompletableFuture<R> analyse(List<String> keys, CpuTask<R> task) {
        // TODO: fan the fetches out; when all are in, submit the task to the CPU pool (without waiting for it here)
        // TODO: when the request's future completes in any other way, interrupt whatever of its work still runs
        throw new UnsupportedOperationException("TODO: analyse");
    }

    /** Cancels the requests in flight, shuts the pools down and waits until they have terminated. */
    @Override
    public void close() {
        // TODO: refuse new requests, cancel the ones in flight, shut the pools down and wait for them
        throw new UnsupportedOperationException("TODO: close");
    }
}
