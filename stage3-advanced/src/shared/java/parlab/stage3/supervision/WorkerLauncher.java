package parlab.stage3.supervision;

import java.io.IOException;
import java.util.concurrent.BlockingQueue;

/**
 * How the supervisor gets a new worker for a slot: {@link #JVM} starts a real child JVM; the tests wrap it to
 * watch what the workers say and to kill them from outside.
 */
@FunctionalInterface
public interface WorkerLauncher {
    /** Starts a {@link WorkerMain} child JVM. */
    WorkerLauncher JVM = WorkerProcess::start;

    /**
     * Starts a worker for {@code slot} whose events go to {@code inbox}, stamped with {@code clock}.
     *
     * @throws IOException if the process cannot be started
     */
    WorkerProcess launch(int slot, BlockingQueue<WorkerEvent> inbox, Clock clock) throws IOException;
}
