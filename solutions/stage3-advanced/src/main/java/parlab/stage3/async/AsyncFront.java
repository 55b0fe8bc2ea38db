package parlab.stage3.async;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

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
 *
 * <p>Reference solution. A {@link Request} owns the future handed to the caller and the {@link Future}s of its work
 * (one per fetch, one for the CPU task), as returned by {@code submit}. Everything that can end a request just
 * completes that one future: the last fetch or the CPU task with a value, a failing fetch or task with its exception,
 * the timer with a {@link RequestTimeoutException}, the caller with {@code cancel}. Whichever comes first wins (the
 * others are no-ops), and a single {@code whenComplete} on it then interrupts the work still running. The CPU task is
 * submitted from the completion of the last fetch, on that fetch's virtual thread: nobody ever blocks waiting for the
 * CPU pool, so lookups keep flowing however busy it is.
 *
 * <p>A race to mind: the request may end while a fetch or the CPU task is being submitted. {@link Request#track}
 * adds the new {@code Future} first and checks whether the request is over second; the cancellation hook reads the list
 * after the request is over. Whichever of the two comes second sees the other, so no work escapes cancellation.
 *
 * <p>Other ways: structured concurrency ({@code StructuredTaskScope}, a preview API in JDK 25) gives the same
 * "cancel the siblings when one fails, interrupt everything on timeout" for the fetches of one request, with the
 * scope's owner thread waiting; that fits a thread-per-request front (one virtual thread per request, blocking
 * freely) rather than this callback style. Both keep the CPU pool bounded and separate.
 */
public final class AsyncFront implements AutoCloseable {
    private final Backend backend;
    private final Duration timeout;
    private final ExecutorService io = Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("front-io-", 0)
            .factory());
    private final ExecutorService cpu;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(Thread.ofVirtual()
            .name("front-timer").factory());
    /** Requests not yet complete; guarded by {@code this} together with {@code closed} when one is added. */
    private final Set<Request<?>> inFlight = ConcurrentHashMap.newKeySet();
    private boolean closed;

    /**
     * A front on {@code backend} with a CPU pool of {@code cpuThreads} threads made by {@code cpuThreadFactory}, whose
     * requests time out after {@code timeout}.
     */
    public AsyncFront(Backend backend, int cpuThreads, ThreadFactory cpuThreadFactory, Duration timeout) {
        if (cpuThreads < 1) {
            throw new IllegalArgumentException("cpuThreads must be at least 1, was " + cpuThreads);
        }
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("timeout must be positive, was " + timeout);
        }
        this.backend = Objects.requireNonNull(backend, "backend");
        this.timeout = timeout;
        this.cpu = Executors.newFixedThreadPool(cpuThreads, Objects.requireNonNull(cpuThreadFactory, "factory"));
    }

    /** One request: the caller's future and the work to interrupt when it ends early. */
    private static final class Request<R> {
        final String name;
        final CompletableFuture<R> result = new CompletableFuture<>();
        final List<Future<?>> work = new CopyOnWriteArrayList<>();

        Request(String name) {
            this.name = name;
        }

        /** Keeps {@code future} for cancellation, or cancels it at once if the request is already over. */
        void track(Future<?> future) {
            work.add(future);
            if (result.isDone()) {
                future.cancel(true);
            }
        }

        void cancelWork() {
            work.forEach(future -> future.cancel(true));
        }
    }

    /** Fetches every key concurrently; completes with the values in key order, joined by ",". I/O only. */
    public CompletableFuture<String> lookup(List<String> keys) {
        Request<String> request = open("lookup " + keys);
        fetchAll(request, keys, values -> request.result.complete(String.join(",", values)));
        return request.result;
    }

    /** Fetches every key concurrently, then runs {@code task} on the CPU pool with the values in key order. */
    public <R> CompletableFuture<R> analyse(List<String> keys, CpuTask<R> task) {
        Objects.requireNonNull(task, "task");
        Request<R> request = open("analyse " + keys);
        fetchAll(request, keys, values -> {
            try {
                request.track(cpu.submit(() -> {
                    try {
                        request.result.complete(task.compute(values));
                    } catch (Throwable failure) {
                        request.result.completeExceptionally(failure);
                    }
                }));
            } catch (RejectedExecutionException closing) {
                request.result.completeExceptionally(new IllegalStateException("the front was closed", closing));
            }
            return true;
        });
        return request.result;
    }

    /** Registers a request, arms its timer, and makes its end interrupt whatever of its work still runs. */
    private <R> Request<R> open(String name) {
        Request<R> request = new Request<>(name);
        synchronized (this) {
            if (closed) {
                throw new IllegalStateException("the front is closed: no new requests");
            }
            inFlight.add(request);
        }
        Future<?> timeUp = timer.schedule(
                () -> request.result.completeExceptionally(new RequestTimeoutException(name, timeout)),
                timeout.toNanos(), TimeUnit.NANOSECONDS);
        request.result.whenComplete((value, failure) -> {
            inFlight.remove(request);
            timeUp.cancel(false);
            if (failure != null) {
                request.cancelWork();
            }
        });
        return request;
    }

    /**
     * Starts one fetch per key on its own virtual thread. The first failure fails the request at once; when the last
     * value is in, {@code then} gets them all, in key order, on that fetch's thread.
     */
    private void fetchAll(Request<?> request, List<String> keys, Function<List<String>, ?> then) {
        List<CompletableFuture<String>> values = new ArrayList<>();
        for (String key : keys) {
            CompletableFuture<String> value = new CompletableFuture<>();
            values.add(value);
            try {
                request.track(io.submit(() -> {
                    try {
                        value.complete(backend.fetch(key));
                    } catch (Throwable failure) {
                        value.completeExceptionally(failure);
                        request.result.completeExceptionally(failure); // fail fast: do not wait for the others
                    }
                }));
            } catch (RejectedExecutionException closing) {
                request.result.completeExceptionally(new IllegalStateException("the front was closed", closing));
                return;
            }
        }
        CompletableFuture.allOf(values.toArray(CompletableFuture[]::new)).thenRun(() -> {
            if (!request.result.isDone()) {
                then.apply(values.stream().map(CompletableFuture::join).toList());
            }
        });
    }

    /** Cancels the requests in flight, shuts the pools down and waits until they have terminated. */
    @Override
    public void close() {
        synchronized (this) {
            closed = true;
        }
        for (Request<?> request : inFlight) {
            request.result.cancel(true);
        }
        timer.shutdownNow();
        io.shutdownNow();
        cpu.shutdownNow();
        io.close(); // close() waits for termination, and keeps waiting (re-asserting the interrupt) if interrupted
        cpu.close();
        timer.close();
    }
}
