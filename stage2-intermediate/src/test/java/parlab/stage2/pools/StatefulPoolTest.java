package parlab.stage2.pools;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;
import parlab.testing.Threads;

class StatefulPoolTest {
    private static final int WORKERS = 3;

    /** A factory that remembers every thread it made. */
    static final class RecordingFactory implements ThreadFactory {
        final List<Thread> made = new CopyOnWriteArrayList<>();

        @Override
        public Thread newThread(Runnable task) {
            Thread thread = new Thread(task, "stateful-worker-" + made.size());
            made.add(thread);
            return thread;
        }
    }

    /**
     * Submits one task per worker that waits until all of them run at once, so every worker thread has run a
     * task (and so made its resource) when this returns.
     */
    private static void keepEveryWorkerBusyOnce(StatefulPool<TrackedResource> pool) throws Exception {
        CyclicBarrier allBusy = new CyclicBarrier(WORKERS);
        List<Future<Integer>> tasks = new ArrayList<>();
        for (int i = 0; i < WORKERS; i++) {
            tasks.add(pool.submit(resource -> {
                try {
                    allBusy.await(5, TimeUnit.SECONDS);
                } catch (InterruptedException | BrokenBarrierException | TimeoutException e) {
                    throw new AssertionError("the " + WORKERS + " tasks did not all run at once on " + WORKERS
                            + " workers: does the pool really have that many threads?", e);
                }
                return resource.use(1);
            }));
        }
        for (Future<Integer> task : tasks) {
            try {
                task.get(10, TimeUnit.SECONDS);
            } catch (ExecutionException e) {
                if (e.getCause() instanceof AssertionError notAllBusy) {
                    throw notAllBusy;
                }
                throw e;
            }
        }
    }

    private static List<Future<Integer>> submitSquares(StatefulPool<TrackedResource> pool, int count) {
        List<Future<Integer>> results = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            int value = i;
            results.add(pool.submit(resource -> resource.use(value)));
        }
        return results;
    }

    @Test
    void everyTaskGetsItsResultThroughItsFuture() throws Exception {
        List<Future<Integer>> results;
        try (var pool = new StatefulPool<>(WORKERS, new RecordingFactory(), new TrackedResource.Factory())) {
            results = submitSquares(pool, 200);
            for (int i = 0; i < results.size(); i++) {
                assertThat(results.get(i).get(10, TimeUnit.SECONDS)).as("result of task %d (its square)", i)
                        .isEqualTo(i * i);
            }
        }
    }

    @Test
    void theInitializerRunsExactlyOncePerWorker() throws Exception {
        var resources = new TrackedResource.Factory();
        try (var pool = new StatefulPool<>(WORKERS, new RecordingFactory(), resources)) {
            keepEveryWorkerBusyOnce(pool);
            for (Future<Integer> result : submitSquares(pool, 300)) {
                result.get(10, TimeUnit.SECONDS);
            }
            assertThat(resources.made)
                    .as("resources made for 3 busy workers and 300 more tasks: one per worker, not one per task")
                    .hasSize(WORKERS);
            assertThat(resources.made.stream().map(r -> r.creator).distinct())
                    .as("threads that made a resource: each worker made its own")
                    .hasSize(WORKERS);
        }
    }

    @Test
    void noResourceIsEverSeenOutsideTheWorkerThatMadeIt() throws Exception {
        var threads = new RecordingFactory();
        var resources = new TrackedResource.Factory();
        try (var pool = new StatefulPool<>(WORKERS, threads, resources)) {
            keepEveryWorkerBusyOnce(pool);
            for (Future<Integer> result : submitSquares(pool, 300)) {
                result.get(10, TimeUnit.SECONDS);
            }
            keepEveryWorkerBusyOnce(pool);
        }
        assertThat(resources.made).as("resources made").isNotEmpty();
        for (TrackedResource resource : resources.made) {
            assertThat(threads.made).as("%s: made by one of the pool's threads (from the given factory)", resource)
                    .contains(resource.creator);
            assertThat(resource.users).as("%s: threads that used it (only its own worker may)", resource)
                    .containsExactly(resource.creator);
            assertThat(resource.closers).as("%s: closed once, by its own worker", resource)
                    .containsExactly(resource.creator);
        }
    }

    @Test
    void closeClosesEveryResourceAndEndsEveryWorker() throws Exception {
        var threads = new RecordingFactory();
        var resources = new TrackedResource.Factory();
        List<Future<Integer>> results;
        try (var pool = new StatefulPool<>(WORKERS, threads, resources)) {
            keepEveryWorkerBusyOnce(pool);
            results = submitSquares(pool, 100);
        }
        assertThat(results).as("tasks submitted before close() all completed by the time it returned")
                .allMatch(Future::isDone);
        assertThat(resources.made).as("resources made").hasSize(WORKERS)
                .as("resources still open after close() returned").allMatch(TrackedResource::closed);
        assertThat(threads.made).as("worker threads made").hasSize(WORKERS)
                .as("worker threads still alive after close() returned").noneMatch(Threads::stillAlive);
    }

    @Test
    void aFailingTaskReachesItsFutureAndChangesNothingElse() throws Exception {
        var threads = new RecordingFactory();
        var resources = new TrackedResource.Factory();
        IllegalStateException boom = new IllegalStateException("boom");
        try (var pool = new StatefulPool<>(WORKERS, threads, resources)) {
            keepEveryWorkerBusyOnce(pool);
            List<Future<Integer>> failures = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                failures.add(pool.submit(resource -> {
                    resource.use(0);
                    throw boom;
                }));
            }
            for (Future<Integer> failure : failures) {
                assertThatThrownBy(() -> failure.get(10, TimeUnit.SECONDS))
                        .as("a failed task's future").isInstanceOf(ExecutionException.class).cause().isSameAs(boom);
            }
            keepEveryWorkerBusyOnce(pool);
            assertThat(resources.made).as("resources made after 10 failed tasks: a failure must not cost a worker "
                    + "its resource (or its life)").hasSize(WORKERS);
        }
        assertThat(resources.made).as("resources still open after close(), after failed tasks")
                .allMatch(TrackedResource::closed);
        assertThat(threads.made).as("worker threads alive after close(), after failed tasks")
                .noneMatch(Threads::stillAlive);
    }

    @Test
    void submitAfterCloseIsRejected() {
        var pool = new StatefulPool<>(WORKERS, new RecordingFactory(), new TrackedResource.Factory());
        pool.close();
        assertThatThrownBy(() -> pool.submit(resource -> resource.use(1)))
                .as("submit() after close()").isInstanceOf(RejectedExecutionException.class);
    }

    @Test
    void aPoolNeedsAtLeastOneWorker() {
        assertThatThrownBy(() -> new StatefulPool<>(0, new RecordingFactory(), new TrackedResource.Factory()))
                .as("a pool of 0 workers").isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("workers");
    }
}
