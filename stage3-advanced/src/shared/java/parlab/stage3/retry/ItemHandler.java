package parlab.stage3.retry;

/** Processes one item; may fail with any exception, which the retrier classifies as retryable or fatal. */
@FunctionalInterface
public interface ItemHandler<T> {
    void handle(T item) throws Exception;
}
