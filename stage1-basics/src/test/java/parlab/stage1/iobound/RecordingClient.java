package parlab.stage1.iobound;

import java.io.IOException;
import java.net.Authenticator;
import java.net.CookieHandler;
import java.net.ProxySelector;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;

/**
 * An {@link HttpClient} that passes every call to a real one and remembers which thread sent each request, so a
 * test can check that every request had a virtual thread of its own, and counts the blocking sends still under
 * way, so it can check that none outlives the call. It does not own the real client: closing that is the test's
 * job.
 */
final class RecordingClient extends HttpClient {
    private final HttpClient real;
    private final List<Thread> blockingSenders = new CopyOnWriteArrayList<>();
    private final List<Thread> asyncSenders = new CopyOnWriteArrayList<>();
    private final AtomicInteger sending = new AtomicInteger();

    RecordingClient(HttpClient real) {
        this.real = real;
    }

    /** The threads that called the blocking {@code send}, one entry per request. */
    List<Thread> blockingSenders() {
        return blockingSenders;
    }

    /** Blocking sends that have started and not yet returned or thrown. */
    int sendsUnderWay() {
        return sending.get();
    }

    /** The threads that called {@code sendAsync}, one entry per request. */
    List<Thread> asyncSenders() {
        return asyncSenders;
    }

    @Override
    public <T> HttpResponse<T> send(HttpRequest request, HttpResponse.BodyHandler<T> handler)
            throws IOException, InterruptedException {
        blockingSenders.add(Thread.currentThread());
        sending.incrementAndGet();
        try {
            return real.send(request, handler);
        } finally {
            sending.decrementAndGet();
        }
    }

    @Override
    public <T> CompletableFuture<HttpResponse<T>> sendAsync(HttpRequest request,
            HttpResponse.BodyHandler<T> handler) {
        asyncSenders.add(Thread.currentThread());
        return real.sendAsync(request, handler);
    }

    @Override
    public <T> CompletableFuture<HttpResponse<T>> sendAsync(HttpRequest request,
            HttpResponse.BodyHandler<T> handler, HttpResponse.PushPromiseHandler<T> pushPromiseHandler) {
        asyncSenders.add(Thread.currentThread());
        return real.sendAsync(request, handler, pushPromiseHandler);
    }

    @Override
    public Optional<CookieHandler> cookieHandler() {
        return real.cookieHandler();
    }

    @Override
    public Optional<Duration> connectTimeout() {
        return real.connectTimeout();
    }

    @Override
    public Redirect followRedirects() {
        return real.followRedirects();
    }

    @Override
    public Optional<ProxySelector> proxy() {
        return real.proxy();
    }

    @Override
    public SSLContext sslContext() {
        return real.sslContext();
    }

    @Override
    public SSLParameters sslParameters() {
        return real.sslParameters();
    }

    @Override
    public Optional<Authenticator> authenticator() {
        return real.authenticator();
    }

    @Override
    public Version version() {
        return real.version();
    }

    @Override
    public Optional<Executor> executor() {
        return real.executor();
    }
}
