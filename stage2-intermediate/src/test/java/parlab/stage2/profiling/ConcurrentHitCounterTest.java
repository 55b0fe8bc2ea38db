package parlab.stage2.profiling;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The fixed counter: correct under many threads, no lock shared by every key, and far fewer waits in the profile
 * than the planted {@link SynchronizedHitCounter}. (Lost updates in every interleaving are the model check's job:
 * {@link ConcurrentHitCounterModelCheckTest}.)
 */
class ConcurrentHitCounterTest {
    private static final List<Query> QUERIES = Query.sample(64, 7);
    private static final int THREADS = 8;
    private static final int HITS_PER_THREAD = 2_000;

    @TempDir
    Path workDir;

    /** Every crew of threads a test starts; joined after the test, whatever happened. */
    private final List<Contention.Crew> crews = new ArrayList<>();

    @AfterEach
    void joinEveryThread() throws InterruptedException {
        Contention.joinAll(crews);
    }

    /** Thread t hits the queries in a circle, starting at query 7t. */
    private static void traffic(HitCounter<Query> counter, int t) {
        for (int i = 0; i < HITS_PER_THREAD; i++) {
            counter.hit(QUERIES.get((t * 7 + i) % QUERIES.size()));
        }
    }

    private static Map<Query, Long> expectedCounts(int rounds) {
        Map<Query, Long> expected = new HashMap<>();
        for (int t = 0; t < THREADS; t++) {
            for (int i = 0; i < HITS_PER_THREAD; i++) {
                expected.merge(QUERIES.get((t * 7 + i) % QUERIES.size()), (long) rounds, Long::sum);
            }
        }
        return expected;
    }

    @Test
    void countsEveryHitOfManyThreads() throws Exception {
        ConcurrentHitCounter<Query> counter = new ConcurrentHitCounter<>();
        Contention.Crew traffic = Contention.ready("traffic-", THREADS, t -> traffic(counter, t));
        crews.add(traffic);
        traffic.go();
        traffic.join();

        Map<Query, Long> expected = expectedCounts(1);
        assertSameCounts(counter.snapshot(), expected,
                "the counts after %d threads made %d hits each".formatted(THREADS, HITS_PER_THREAD));
        for (Query query : QUERIES.subList(0, 5)) {
            assertThat(counter.hits(query)).as("hits(%s)", query).isEqualTo(expected.get(query));
        }
    }

    @Test
    void keysThatAreEqualCountTogether() {
        ConcurrentHitCounter<Query> counter = new ConcurrentHitCounter<>();
        counter.hit(new Query("Java  Threads"));
        counter.hit(new Query(" java threads "));
        counter.hit(new Query("java locks"));

        assertThat(counter.hits(new Query("JAVA THREADS"))).as("hits of one query typed three ways").isEqualTo(2);
        assertThat(counter.hits(new Query("never asked"))).as("hits of a query never seen").isZero();
        assertThat(counter.snapshot()).as("the snapshot: one entry per distinct query").hasSize(2);
    }

    @Test
    void theSnapshotIsAnUnmodifiableCopy() {
        ConcurrentHitCounter<String> counter = new ConcurrentHitCounter<>();
        counter.hit("a");
        Map<String, Long> snapshot = counter.snapshot();
        counter.hit("a");
        counter.hit("b");

        assertThat(snapshot).as("a snapshot taken after one hit, read after two more").isEqualTo(Map.of("a", 1L));
        assertThatThrownBy(() -> snapshot.put("c", 1L)).as("putting into the snapshot")
                .isInstanceOf(UnsupportedOperationException.class);
        assertThat(counter.snapshot()).as("a new snapshot").isEqualTo(Map.of("a", 2L, "b", 1L));
    }

    @Test
    void aNullKeyIsRejected() {
        ConcurrentHitCounter<String> counter = new ConcurrentHitCounter<>();
        assertThatThrownBy(() -> counter.hit(null)).as("hit(null)").isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> counter.hits(null)).as("hits(null)").isInstanceOf(NullPointerException.class);
    }

    /** A key that, the first time it is hashed, stops its thread there until the test lets it go. */
    static final class StuckKey {
        final CountDownLatch hashing = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);
        private final AtomicBoolean first = new AtomicBoolean(true);

        @Override
        public int hashCode() {
            if (first.compareAndSet(true, false)) {
                hashing.countDown();
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            return 1;
        }

        @Override
        public String toString() {
            return "StuckKey";
        }
    }

    @Test
    void aThreadStuckHashingItsKeyDoesNotHoldUpOtherKeys() throws Exception {
        ConcurrentHitCounter<Object> counter = new ConcurrentHitCounter<>();
        StuckKey stuck = new StuckKey();
        CompletableFuture<Void> slow = new CompletableFuture<>();
        CompletableFuture<Void> other = new CompletableFuture<>();
        Thread slowThread = Thread.ofPlatform().name("traffic-stuck").start(() -> run(() -> counter.hit(stuck), slow));
        Thread otherThread = null;
        try {
            while (!stuck.hashing.await(10, TimeUnit.MILLISECONDS)) {
                if (slow.isDone()) {
                    slow.get(); // hit() failed (or never hashed the key): that failure is the answer
                    throw new AssertionError("hit(key) returned without ever calling key.hashCode()");
                }
            }
            otherThread = Thread.ofPlatform().name("traffic-other").start(() -> run(() -> counter.hit("other"), other));
            try {
                other.get(5, TimeUnit.SECONDS);
            } catch (java.util.concurrent.TimeoutException holdUp) {
                throw new AssertionError("hit(\"other\") waited over 5 s while another thread was stuck inside its "
                        + "key's hashCode(): the hit of one key must not wait for the hit of another. Is one lock "
                        + "shared by all keys, and held while a key is hashed? (" + otherThread.getState() + ")");
            }
        } finally {
            stuck.release.countDown();
            slowThread.join();
            if (otherThread != null) {
                otherThread.join();
            }
        }
        slow.get();
        assertThat(counter.hits(stuck)).as("hits of the key that was stuck, once released").isEqualTo(1);
        assertThat(counter.hits("other")).as("hits of the other key").isEqualTo(1);
    }

    private static void run(Runnable action, CompletableFuture<Void> done) {
        try {
            action.run();
            done.complete(null);
        } catch (Throwable failure) {
            done.completeExceptionally(failure);
        }
    }

    /**
     * The same traffic on both counters, under the test's own JFR recording: 8 threads start while the test holds
     * the counter's monitor, and make 2,000 hits each once it lets go. On the planted counter each of them has had
     * to wait at least once; on a counter without a lock that all threads need, nobody waits.
     */
    @Test
    void theFixShowsFarFewerWaitsThanThePlantedCounter() throws Exception {
        ConcurrentHitCounter<Query> fixed = new ConcurrentHitCounter<>();
        SynchronizedHitCounter<Query> planted = new SynchronizedHitCounter<>();
        QUERIES.forEach(fixed::hit); // the steady state: every key seen once, the code warmed up
        QUERIES.forEach(planted::hit);

        Contention.Crew plantedTraffic = Contention.ready("traffic-planted-", THREADS, t -> traffic(planted, t));
        crews.add(plantedTraffic);
        Map<String, Long> plantedWaits = Contention.waitsDuring("traffic-planted-", workDir, () -> {
            plantedTraffic.goBlockedOn(planted);
            plantedTraffic.awaitDone();
        });
        Contention.Crew fixedTraffic = Contention.ready("traffic-fixed-", THREADS, t -> traffic(fixed, t));
        crews.add(fixedTraffic);
        Map<String, Long> fixedWaits = Contention.waitsDuring("traffic-fixed-", workDir, () -> {
            fixedTraffic.goBlockedOn(fixed);
            fixedTraffic.awaitDone();
        });

        assertThat(Contention.total(plantedWaits)).as("waits recorded on the planted counter: %s", plantedWaits)
                .isGreaterThanOrEqualTo(THREADS);
        assertThat(Contention.total(fixedWaits) * 5)
                .as("waits recorded on your counter (%s), times 5, against the planted one's (%s): a fix must cut "
                        + "the waits to under a fifth", fixedWaits, plantedWaits)
                .isLessThan(Contention.total(plantedWaits));
        assertSameCounts(fixed.snapshot(), withOneMore(expectedCounts(1)), "your counter's counts after the traffic");
    }

    /** Compares the totals first, then names a few of the keys whose counts are wrong (not all 64). */
    private static void assertSameCounts(Map<Query, Long> actual, Map<Query, Long> expected, String what) {
        long total = actual.values().stream().mapToLong(Long::longValue).sum();
        long expectedTotal = expected.values().stream().mapToLong(Long::longValue).sum();
        List<String> wrong = expected.entrySet().stream()
                .filter(e -> !e.getValue().equals(actual.get(e.getKey())))
                .limit(3)
                .map(e -> e.getKey() + ": " + actual.get(e.getKey()) + " instead of " + e.getValue())
                .toList();
        assertThat(total).as("%s: hits counted in all (%d lost); for example %s", what, expectedTotal - total, wrong)
                .isEqualTo(expectedTotal);
        assertThat(wrong).as("%s: keys with a wrong count", what).isEmpty();
        assertThat(actual.keySet()).as("%s: the keys", what).containsExactlyInAnyOrderElementsOf(expected.keySet());
    }

    private static Map<Query, Long> withOneMore(Map<Query, Long> counts) {
        Map<Query, Long> plusOne = new HashMap<>(counts);
        QUERIES.forEach(q -> plusOne.merge(q, 1L, Long::sum));
        return plusOne;
    }
}
