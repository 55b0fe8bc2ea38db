package parlab.stage3.shutdown;

/**
 * The job a {@link GracefulService} worker does for one item: it returns the text that goes into the item's output
 * line. It may take long, and it may be interrupted (when the service gives up at its deadline).
 */
@FunctionalInterface
public interface Work {
    String apply(long item) throws InterruptedException;
}
