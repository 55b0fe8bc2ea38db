package parlab.capstone;

import java.io.PrintStream;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A graceful stop. {@link #request()} asks the runner to hand out no new chunk; the chunks in flight still finish
 * and commit, and the runner returns a report with the chunks left ({@link RunReport#unfinished()}). Because every
 * commit is idempotent and whole, running the same command again resumes to exactly the same result.
 *
 * <p>{@link #onShutdown} ties it to {@code SIGTERM} and Ctrl-C: the JVM runs shutdown hooks on those signals (and
 * would exit with 143 or 130 once they return). The hook requests the drain and waits for the program to say it
 * has ended ({@link #ended}: the database is closed by then), at most {@code deadline}; then it halts the JVM
 * with the program's exit code, or with {@link ExitCode#INTERRUPTED} if the deadline passed (the last, uncommitted
 * transaction is then simply lost). When the program ends by itself, {@link #ended} comes first and the hook does
 * nothing. The hook halts rather than returns because a thread that calls {@code System.exit} during shutdown
 * blocks forever, and the exit code must be the program's.
 */
public final class Drain {
    private volatile boolean requested;
    private volatile int exitCode = ExitCode.INTERRUPTED.code();
    private volatile Duration deadline = Duration.ofSeconds(10);
    private final CountDownLatch ended = new CountDownLatch(1);

    /** A drain nobody requests unless the caller does (tests, embedding). */
    public Drain() {
    }

    /** A drain that {@code SIGTERM} and Ctrl-C request; {@code err} gets one line when that happens. */
    public static Drain onShutdown(PrintStream err) {
        Drain drain = new Drain();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> drain.onSignal(err), "capstone-drain"));
        return drain;
    }

    private void onSignal(PrintStream err) {
        if (ended.getCount() == 0) {
            return; // the program ended by itself and is exiting with its code
        }
        requested = true;
        Duration limit = deadline;
        err.println("capstone: stopping: no new chunks, finishing those in flight (at most " + limit.toSeconds()
                + " s)");
        err.flush();
        boolean inTime;
        try {
            inTime = ended.await(limit.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            inTime = false;
        }
        if (!inTime) {
            err.println("capstone: the chunks in flight did not finish within --drain-timeout " + limit.toSeconds()
                    + " s; stopped anyway; run the same command again to resume");
            err.flush();
        }
        Runtime.getRuntime().halt(inTime ? exitCode : ExitCode.INTERRUPTED.code());
    }

    /** How long the chunks in flight may take to finish once a drain is requested ({@code --drain-timeout}). */
    public void deadline(Duration limit) {
        deadline = limit;
    }

    public void request() {
        requested = true;
    }

    public boolean requested() {
        return requested;
    }

    /** The program has ended with {@code code} and closed what it had opened. */
    public void ended(int code) {
        exitCode = code;
        ended.countDown();
    }
}
