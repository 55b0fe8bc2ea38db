package parlab.stage3.backpressure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Flow;
import java.util.concurrent.SubmissionPublisher;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class BatchSubscriberTest {

    /**
     * A subscription that keeps the Reactive Streams rules on the publisher's side and writes down what the
     * subscriber did: every {@code request(n)}, the demand outstanding after it, and any request that breaks the
     * subscriber's contract (more than {@code limit} outstanding, or {@code n <= 0}, rule 3.9).
     */
    static final class RecordingSubscription implements Flow.Subscription {
        final int limit;
        final List<Long> requests = new ArrayList<>();
        final List<String> violations = new ArrayList<>();
        long requested;
        long delivered;
        boolean cancelled;

        RecordingSubscription(int limit) {
            this.limit = limit;
        }

        long outstanding() {
            return requested - delivered;
        }

        @Override
        public void request(long n) {
            requests.add(n);
            if (n <= 0) {
                violations.add("request(" + n + "): n must be positive (rule 3.9)");
                return;
            }
            requested += n;
            if (outstanding() > limit && violations.size() < 5) {
                violations.add("after " + delivered + " items, request(" + n + ") brought the outstanding demand to "
                        + outstanding() + ", over the batch size " + limit);
            }
        }

        @Override
        public void cancel() {
            cancelled = true;
        }
    }

    /**
     * A publisher driven by the test, on the test's thread: it delivers its items one by one, never more than the
     * subscriber has requested (rule 1.1), and stops with a clear failure if the subscriber stops asking.
     */
    static RecordingSubscription publish(Flow.Subscriber<Integer> subscriber, int items, int limit) {
        RecordingSubscription subscription = new RecordingSubscription(limit);
        subscriber.onSubscribe(subscription);
        for (int i = 0; i < items && !subscription.cancelled; i++) {
            if (subscription.outstanding() <= 0) {
                throw new AssertionError("the subscriber received " + subscription.delivered + " items, all it had "
                        + "requested (" + subscription.requests + "), and asked for no more: the stream stalls. Once a "
                        + "batch has been handled, request the next one.");
            }
            subscription.delivered++;
            try {
                subscriber.onNext(i);
            } catch (RuntimeException e) {
                throw new AssertionError("onNext threw " + e + ": a subscriber must not throw from a signal (rule "
                        + "2.13); cancel the subscription and fail done() instead", e);
            }
        }
        if (!subscription.cancelled) {
            subscriber.onComplete();
        }
        return subscription;
    }

    static <T> T within5s(CompletableFuture<T> future, String what) throws Throwable {
        try {
            return future.get(5, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            throw new AssertionError(what + " was not complete 5 s after the stream ended");
        }
    }

    @Test
    void requestsExactlyNAtATimeAndNeverMoreThanNOutstanding() throws Throwable {
        List<Integer> handled = new ArrayList<>();
        BatchSubscriber<Integer> subscriber = new BatchSubscriber<>(8, handled::add);
        RecordingSubscription subscription = publish(subscriber, 100, 8);
        assertThat(subscription.violations).as("requests that broke the rules").isEmpty();
        assertThat(subscription.requests).as("the requests made (the first one right in onSubscribe)")
                .isNotEmpty().allMatch(n -> n == 8, "each is request(8)");
        assertThat(subscription.requests).as("requests for 100 items in batches of 8: 13 batches cover them, and a "
                + "14th may be asked for once the 13th (ending at item 104) is handled").hasSizeBetween(13, 14);
        assertThat(handled).as("items handled, in order").containsExactlyElementsOf(IntStream.range(0, 100).boxed()
                .toList());
        assertThat(within5s(subscriber.done(), "done()")).as("done() after onComplete: items handled")
                .isEqualTo(100L);
    }

    @Test
    void theNextBatchIsRequestedOnlyAfterTheLastOneWasHandled() {
        List<Long> outstandingSeenByTheHandler = new ArrayList<>();
        RecordingSubscription[] subscription = new RecordingSubscription[1];
        BatchSubscriber<Integer> subscriber = new BatchSubscriber<>(3, item ->
                outstandingSeenByTheHandler.add(subscription[0].outstanding()));
        subscription[0] = new RecordingSubscription(3);
        subscriber.onSubscribe(subscription[0]);
        assertThat(subscription[0].requests).as("requests made in onSubscribe").containsExactly(3L);
        for (int i = 0; i < 9; i++) {
            subscription[0].delivered++;
            subscriber.onNext(i);
        }
        assertThat(outstandingSeenByTheHandler).as("demand still outstanding while the handler runs, item by item: "
                + "the next batch must not be requested before the handler has finished the last item of this one")
                .containsExactly(2L, 1L, 0L, 2L, 1L, 0L, 2L, 1L, 0L);
        assertThat(subscription[0].requests).as("requests after 9 items in batches of 3").containsExactly(3L, 3L,
                3L, 3L);
    }

    @Test
    void aFailingHandlerCancelsTheSubscriptionAndFailsDone() throws Throwable {
        RuntimeException boom = new IllegalStateException("handler failed on item 5");
        List<Integer> handled = new ArrayList<>();
        BatchSubscriber<Integer> subscriber = new BatchSubscriber<>(4, item -> {
            if (item == 5) {
                throw boom;
            }
            handled.add(item);
        });
        RecordingSubscription subscription = publish(subscriber, 50, 4);
        assertThat(subscription.cancelled).as("subscription cancelled after the handler threw").isTrue();
        assertThat(handled).as("items handled: none after the failure").containsExactly(0, 1, 2, 3, 4);
        assertThatThrownBy(() -> within5s(subscriber.done(), "done()")).as("done() after the handler failed")
                .isInstanceOf(ExecutionException.class).cause().isSameAs(boom);
    }

    @Test
    void thePublishersErrorFailsDone() throws Throwable {
        BatchSubscriber<Integer> subscriber = new BatchSubscriber<>(2, item -> { });
        RecordingSubscription subscription = new RecordingSubscription(2);
        subscriber.onSubscribe(subscription);
        subscription.delivered++;
        subscriber.onNext(0);
        RuntimeException upstream = new IllegalStateException("the publisher broke");
        subscriber.onError(upstream);
        assertThatThrownBy(() -> within5s(subscriber.done(), "done()")).as("done() after onError")
                .isInstanceOf(ExecutionException.class).cause().isSameAs(upstream);
    }

    @Test
    void aSecondSubscriptionIsCancelledAndTheFirstGoesOn() throws Throwable {
        List<Integer> handled = new ArrayList<>();
        BatchSubscriber<Integer> subscriber = new BatchSubscriber<>(2, handled::add);
        RecordingSubscription first = new RecordingSubscription(2);
        RecordingSubscription second = new RecordingSubscription(2);
        subscriber.onSubscribe(first);
        subscriber.onSubscribe(second);
        assertThat(second.cancelled).as("the second subscription cancelled (rule 2.5)").isTrue();
        assertThat(second.requests).as("requests made to the second subscription").isEmpty();
        assertThat(first.cancelled).as("the first subscription cancelled").isFalse();
        for (int i = 0; i < 4; i++) {
            first.delivered++;
            subscriber.onNext(i);
        }
        subscriber.onComplete();
        assertThat(first.requests).as("requests to the first subscription").containsExactly(2L, 2L, 2L);
        assertThat(within5s(subscriber.done(), "done()")).as("items handled").isEqualTo(4L);
    }

    @Test
    void badArgumentsAreRejected() {
        assertThatThrownBy(() -> new BatchSubscriber<Integer>(0, item -> { }))
                .as("a batch of 0 items").isInstanceOf(IllegalArgumentException.class);
        BatchSubscriber<Integer> subscriber = new BatchSubscriber<>(1, item -> { });
        assertThatThrownBy(() -> subscriber.onSubscribe(null)).as("onSubscribe(null) (rule 2.13)")
                .isInstanceOf(NullPointerException.class);
        subscriber.onSubscribe(new RecordingSubscription(1));
        assertThatThrownBy(() -> subscriber.onNext(null)).as("onNext(null) (rule 2.13)")
                .isInstanceOf(NullPointerException.class);
    }

    @Test
    void theJdksSubmissionPublisherIsHeldBackByTheSubscriber() throws Throwable {
        List<Integer> handled = new CopyOnWriteArrayList<>();
        try (ExecutorService delivery = Executors.newSingleThreadExecutor()) {
            try (SubmissionPublisher<Integer> publisher = new SubmissionPublisher<>(delivery, 16)) {
                BatchSubscriber<Integer> subscriber = new BatchSubscriber<>(4, handled::add);
                publisher.subscribe(subscriber);
                for (int i = 0; i < 20_000; i++) {
                    // waits while the subscriber's buffer of 16 is full, that is, while it requests nothing more
                    if (publisher.offer(i, 5, TimeUnit.SECONDS, (s, item) -> false) < 0) {
                        throw new AssertionError("the SubmissionPublisher could not hand over item " + i + " within "
                                + "5 s: its buffer stayed full, so the subscriber stopped requesting (" + handled.size()
                                + " items handled)");
                    }
                }
                publisher.close();
                assertThat(within5s(subscriber.done(), "done() of a subscriber of a SubmissionPublisher"))
                        .as("items handled").isEqualTo(20_000L);
            }
        }
        assertThat(handled).as("items handled, in order").containsExactlyElementsOf(IntStream.range(0, 20_000)
                .boxed().toList());
    }
}
