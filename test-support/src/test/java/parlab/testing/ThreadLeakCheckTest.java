package parlab.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import parlab.testing.Samples.Outcome;
import parlab.testing.Samples.Sample;

/**
 * Proves {@link ThreadLeakCheck} on known-broken samples: a pool never shut down, a thread still running and a child
 * process still alive each fail their test with a {@link LeakError} that names them; a test that cleans up passes.
 * Each test here undoes its sample's leak, so that this test itself leaks nothing.
 */
class ThreadLeakCheckTest {

    @Test
    void aPoolNeverShutDownFailsTheTestNamingThePool() throws InterruptedException {
        try {
            Throwable failure = Samples.run(LeaksAPool.class).failure();
            String pool = LeaksAPool.workerName.replaceFirst("-thread-\\d+$", "");
            assertThat(pool).as("name of the sample pool's worker").matches("pool-\\d+");
            assertThat(failure).as("failure of a test that never shuts its fixed thread pool down")
                    .isInstanceOf(LeakError.class)
                    .hasMessageContaining(pool + " was never shut down: 1 thread is still alive 2 s after the test")
                    .hasMessageContaining("Close the executor")
                    .hasMessageContaining("\"" + LeaksAPool.workerName + "\" WAITING");
        } finally {
            LeaksAPool.pool.shutdownNow();
            assertThat(LeaksAPool.pool.awaitTermination(5, TimeUnit.SECONDS)).as("sample pool ended").isTrue();
        }
    }

    @Test
    void aThreadStillRunningFailsTheTestNamingTheThread() throws InterruptedException {
        LeaksAThread.release = new CountDownLatch(1);
        try {
            assertThat(Samples.run(LeaksAThread.class).failure())
                    .as("failure of a test that returns while a thread it started still waits")
                    .isInstanceOf(LeakError.class)
                    .hasMessageContaining("thread forgotten-worker is still running 2 s after the test")
                    .hasMessageContaining("join every thread you start")
                    .hasMessageContaining("\"forgotten-worker\" WAITING")
                    .hasMessageContaining("parlab.testing.Samples.await(");
        } finally {
            LeaksAThread.release.countDown();
            LeaksAThread.thread.join(Duration.ofSeconds(5));
        }
        assertThat(LeaksAThread.thread.isAlive()).as("sample thread ended").isFalse();
    }

    @Test
    void aChildProcessStillRunningFailsTheTestAndIsKilled() {
        Throwable failure = Samples.run(LeaksAChildJvm.class).failure();
        long pid = LeaksAChildJvm.pid;
        assertThat(failure).as("failure of a test that leaves a child JVM running")
                .isInstanceOf(LeakError.class)
                .hasMessageContaining("child process " + pid + " (")
                .hasMessageContaining(Sleeper.class.getName())
                .hasMessageContaining("was still running after the test; it has been killed");
        await("child process " + pid + " is gone").atMost(Duration.ofSeconds(5))
                .until(() -> ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false), alive -> !alive);
    }

    @Test
    void aTestThatCleansUpPasses() {
        Samples.run(CleansUp.class).assertPassed();
    }

    @Test
    void threadsNamedInIgnoreThreadsMayOutliveTheTest() throws InterruptedException {
        IgnoresItsThread.release = new CountDownLatch(1);
        try {
            Samples.run(IgnoresItsThread.class).assertPassed();
        } finally {
            IgnoresItsThread.release.countDown();
            IgnoresItsThread.thread.join(Duration.ofSeconds(5));
        }
    }

    @Test
    void aFailingTestIsNotBlamedForItsLeakButItsChildProcessIsStillKilled() {
        assertThat(Samples.run(FailsAndLeaksAChild.class).failure()).as("failure of a test that fails and leaks")
                .isExactlyInstanceOf(AssertionError.class)
                .hasMessage("the test's own failure");
        long pid = FailsAndLeaksAChild.pid;
        await("child process " + pid + " is gone").atMost(Duration.ofSeconds(5))
                .until(() -> ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false), alive -> !alive);
    }

    /** The child JVM of the process samples: waits a minute unless killed. */
    public static final class Sleeper {
        public static void main(String[] args) throws InterruptedException {
            Thread.sleep(Duration.ofMinutes(1));
        }
    }

    @Sample
    static class LeaksAPool {
        static volatile ExecutorService pool;
        static volatile String workerName;

        @Test
        void submitsAndForgetsThePool() throws Exception {
            pool = Executors.newFixedThreadPool(2);
            workerName = pool.submit(() -> Thread.currentThread().getName()).get();
        }
    }

    @Sample
    static class LeaksAThread {
        static volatile CountDownLatch release;
        static volatile Thread thread;

        @Test
        void startsAndForgetsAThread() {
            CountDownLatch latch = release;
            thread = Thread.ofPlatform().name("forgotten-worker").start(() -> Samples.await(latch));
        }
    }

    @Sample
    static class LeaksAChildJvm {
        static volatile long pid;

        @Test
        void startsAndForgetsAChild() throws Exception {
            pid = ChildJvm.start(Sleeper.class).process().pid();
        }
    }

    @Sample
    static class FailsAndLeaksAChild {
        static volatile long pid;

        @Test
        void startsAChildAndFails() throws Exception {
            pid = new ProcessBuilder("sleep", "60").start().pid();
            throw new AssertionError("the test's own failure");
        }
    }

    @Sample
    static class CleansUp {
        @Test
        void closesWhatItStarts() throws Exception {
            try (ExecutorService pool = Executors.newFixedThreadPool(2)) {
                pool.submit(() -> Thread.currentThread().getName()).get();
            }
            Thread thread = Thread.ofPlatform().name("joined-worker").start(() -> { });
            thread.join();
            try (ChildJvm child = ChildJvm.start(Sleeper.class)) {
                assertThat(child.process().isAlive()).as("child started").isTrue();
            }
        }
    }

    @Sample
    @IgnoreThreads("tolerated-")
    static class IgnoresItsThread {
        static volatile CountDownLatch release;
        static volatile Thread thread;

        @Test
        void leavesAToleratedThread() {
            CountDownLatch latch = release;
            thread = Thread.ofPlatform().name("tolerated-worker").start(() -> Samples.await(latch));
        }
    }
}
