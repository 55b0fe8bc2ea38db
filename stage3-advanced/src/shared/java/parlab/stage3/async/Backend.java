package parlab.stage3.async;

/**
 * A slow, blocking service: a database, another team's HTTP API, a file store. One call answers one key, after a
 * wait that costs no CPU. It honours interrupts: a fetch whose thread is interrupted gives up with an
 * {@link InterruptedException}.
 */
@FunctionalInterface
public interface Backend {
    String fetch(String key) throws Exception;
}
