package parlab.stage3.metrics;

/**
 * The child process of s3e05: a worker in another JVM that knows nothing about the parent's logging and simply
 * writes its log lines to stdout, one per line, each starting with its level: {@code "INFO child c1 line 0"},
 * ..., every fourth one a {@code "WARN ..."}. Plumbing, not the lesson: the part that is yours is
 * {@link InstrumentedPool#relay}, which gives these lines their worker back in the parent's log.
 *
 * <p>Arguments: the child's id and how many lines to write. It exits when it has written them all.
 */
public final class ChildLogMain {
    private ChildLogMain() {
    }

    /** The text of line {@code i} of child {@code id}, without its level. */
    public static String text(String id, int i) {
        return "child " + id + " line " + i;
    }

    /** The level of line {@code i}. */
    public static String level(int i) {
        return i % 4 == 3 ? "WARN" : "INFO";
    }

    public static void main(String[] args) {
        String id = args[0];
        int lines = Integer.parseInt(args[1]);
        for (int i = 0; i < lines; i++) {
            System.out.println(level(i) + " " + text(id, i));
        }
        System.out.flush();
    }
}
