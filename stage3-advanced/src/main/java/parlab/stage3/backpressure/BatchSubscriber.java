package parlab.stage3.backpressure;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Flow;
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
 */
public final class BatchSubscriber<T> implements Flow.Subscriber<T> {

    /** A subscriber that requests {@code n} items at a time and gives each to {@code handler}. */
    public BatchSubscriber(int n, Consumer<? super T> handler) {
        // TODO: reject n < 1, keep n and the handler
        throw new UnsupportedOperationException("TODO: BatchSubscriber");
    }

    @Override
    public void onSubscribe(Flow.Subscription subscription) {
        // TODO: keep the first subscription and ask it for n items; cancel any later one
        throw new UnsupportedOperationException("TODO: onSubscribe");
    }

    @Override
    public void onNext(T item) {
        // TODO: hand the item over; when a whole batch has been handled, request the next one
        // TODO: a handler that throws cancels the subscription and fails done()
        throw new UnsupportedOperationException("TODO: onNext");
    }

    @Override
    public void onError(Throwable failure) {
        // TODO: fail done() with the publisher's error
        throw new UnsupportedOperationException("TODO: onError");
    }

    @Override
    public void onComplete() {
        // TODO: complete done() with the number of items handled
        throw new UnsupportedOperationException("TODO: onComplete");
    }

    /** Completes when the stream ends: with the number of items handled, or with the failure that ended it. */
    public CompletableFuture<Long> done() {
        // TODO: the future that onComplete, onError and a failing handler complete
        throw new UnsupportedOperationException("TODO: done");
    }
}
