package parlab.stage3.async;

import java.time.Duration;

/** A request that was not answered within its time limit. */
public final class RequestTimeoutException extends RuntimeException {
    public RequestTimeoutException(String request, Duration limit) {
        super(request + " was not answered within " + limit.toMillis() + " ms; its running work was cancelled");
    }
}
