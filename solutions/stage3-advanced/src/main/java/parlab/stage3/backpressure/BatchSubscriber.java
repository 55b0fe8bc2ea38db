package parlab.stage3.backpressure;

import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Flow;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

/**
 * s3e03 · Backpressure, part 2: pull instead of push, with {@link java.util.concurrent.Flow}.
 *
 * <p>{@link BoundedPipeline} makes the producer <em>wait</em>. Reactive Streams (JDK 9's {@code Flow}, and before it
 * RxJava, Reactor, Akka Streams) turn the relation around: a publisher may only send what the subscriber has asked
 * for. The subscriber calls {@code subscription.request(n)}, the publisher sends at most {@code n} more
 * {@code onNext} signals, and a subscriber that asks for nothing receives nothing. Demand flows up, data flows down,
 * and no buffer anywhere grows beyond what was requested.
 *
 * <p>This subscriber asks for its items in batches of {@code n}. The contract, which the tests check against a
 * publisher that records every request and refuses to break the rules
 * (<a href="https://github.com/reactive-streams/reactive-streams-jvm#specification">the Reactive Streams
 * specification</a>, whose rules {@code Flow} shares):
 * <ul>
 *   <li>{@code onSubscribe} requests exactly {@code n}; once all {@code n} of a batch have been handled, it requests
 *       exactly {@code n} more; it never has more than {@code n} items requested and not yet received;
 *   <li>each item goes to {@code handler}, in the order received; {@link #done()} completes with the number of items
 *       handled when the publisher completes, and exceptionally with the publisher's error on {@code onError};
 *   <li>a signal method never throws for a handler's failure (rule 2.13): the subscription is cancelled instead, no
 *       further item is handled, and {@link #done()} completes exceptionally with the handler's exception;
 *   <li>a second {@code onSubscribe} while subscribed is answered by cancelling that new subscription (rule 2.5);
 *       {@code null} arguments to the signal methods are a {@link NullPointerException} (rule 2.13);
 *   <li>{@code n < 1} is an {@link IllegalArgumentException}.
 * </ul>
 * Signals arrive one at a time (rule 1.3), though not always on the same thread; the rule promises a happens-before
 * edge from one signal to the next, so plain fields written in one signal are visible in the next.
 *
 * <p>Things to think about: the JDK's {@link java.util.concurrent.SubmissionPublisher} has a bounded buffer per
 * subscriber, and its {@code submit} blocks when that buffer is full. Where does the backpressure reach the
 * producer, then?
 *
 * <p>Reference solution. {@code left} counts down the items still due in the current batch; when it reaches zero the
 * batch is over and the next {@code request(n)} goes out, so at most {@code n} are ever outstanding. The handler
 * runs inside {@code onNext}, which is what makes the demand honest: the next batch is requested only after the
 * previous one was actually handled, not merely received. The subscription sits in an {@link AtomicReference}
 * because a second {@code onSubscribe} may come from another publisher on another thread, outside rule 1.3's
 * ordering.
 *
 * <p>Other ways: request 1 at a time (simplest, but one {@code request} call per item, which for an asynchronous
 * publisher is one hand-off per item); or top up by {@code n/2} whenever half a batch has been handled, which keeps
 * the publisher busy while the subscriber finishes the other half, at the price of up to {@code 1.5 n} outstanding.
 * Libraries such as Reactor's {@code limitRate} do the latter.
 */
public final class BatchSubscriber<T> implements Flow.Subscriber<T> {
    private final int n;
    private final Consumer<? super T> handler;
    private final CompletableFuture<Long> done = new CompletableFuture<>();
    private final AtomicReference<Flow.Subscription> subscription = new AtomicReference<>();
    // Written and read only inside signals, which rule 1.3 orders with happens-before edges.
    private int left;
    private long handled;
    private boolean finished;

    /** A subscriber that requests {@code n} items at a time and gives each to {@code handler}. */
    public BatchSubscriber(int n, Consumer<? super T> handler) {
        if (n < 1) {
            throw new IllegalArgumentException("n (items per request) must be at least 1, was " + n);
        }
        this.n = n;
        this.handler = Objects.requireNonNull(handler, "handler");
    }

    @Override
    public void onSubscribe(Flow.Subscription subscription) {
        Objects.requireNonNull(subscription, "subscription (rule 2.13)");
        if (!this.subscription.compareAndSet(null, subscription)) {
            subscription.cancel(); // rule 2.5: one subscription at a time
            return;
        }
        left = n;
        subscription.request(n);
    }

    @Override
    public void onNext(T item) {
        Objects.requireNonNull(item, "item (rule 2.13)");
        if (finished) {
            return; // cancelled after a handler failure: items already on their way are dropped (rule 2.8)
        }
        try {
            handler.accept(item);
        } catch (Throwable failure) {
            finished = true;
            subscription.get().cancel();
            done.completeExceptionally(failure);
            return;
        }
        handled++;
        if (--left == 0) {
            left = n;
            subscription.get().request(n);
        }
    }

    @Override
    public void onError(Throwable failure) {
        Objects.requireNonNull(failure, "failure (rule 2.13)");
        finished = true;
        done.completeExceptionally(failure);
    }

    @Override
    public void onComplete() {
        finished = true;
        done.complete(handled);
    }

    /** Completes when the stream ends: with the number of items handled, or with the failure that ended it. */
    public CompletableFuture<Long> done() {
        return done.copy(); // callers may wait on it, but not complete ours
    }
}
