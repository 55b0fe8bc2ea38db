package parlab.testing.host;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeoutException;
import parlab.testing.DeadlockError;
import parlab.testing.HangError;
import parlab.testing.LeakError;

/**
 * Names why a test failed. {@code ./lab verify} accepts only {@code todo} and {@code assertion} on a skeleton:
 * a skeleton's tests must fail because the work is not done, never by accident.
 */
public final class Failures {
    /** In order of precedence: the first kind found anywhere in the failure (causes, suppressed) wins. */
    private static final List<String> KINDS = List.of("deadlock", "timeout", "leak", "oom", "todo", "assertion");

    private Failures() {
    }

    public static String kind(Throwable failure) {
        Set<String> found = new java.util.HashSet<>();
        for (Throwable t : all(failure)) {
            found.add(kindOf(t));
        }
        return KINDS.stream().filter(found::contains).findFirst().orElse("error");
    }

    private static String kindOf(Throwable t) {
        if (t instanceof DeadlockError) {
            return "deadlock";
        }
        if (t instanceof HangError || t instanceof TimeoutException) {
            return "timeout";
        }
        if (t instanceof LeakError) {
            return "leak";
        }
        if (t instanceof OutOfMemoryError) {
            return "oom";
        }
        if (t instanceof UnsupportedOperationException && String.valueOf(t.getMessage()).startsWith("TODO")) {
            return "todo";
        }
        if (t instanceof AssertionError) {
            return "assertion";
        }
        return "error";
    }

    /** The message to show: the most telling failure's text, with the exception type where it adds something. */
    public static String message(Throwable failure) {
        String kind = kind(failure);
        // A time-out says "timed out after 2 seconds"; the HangError suppressed in it says where threads stood.
        String text = all(failure).stream()
                .filter(t -> kindOf(t).equals(kind))
                .map(t -> t instanceof AssertionError ? String.valueOf(t.getMessage())
                        : t.getClass().getName() + ": " + t.getMessage())
                .distinct()
                .limit(kind.equals("timeout") ? 2 : 1)
                .collect(java.util.stream.Collectors.joining("\n"));
        return text.isEmpty() ? failure.toString() : text;
    }

    private static List<Throwable> all(Throwable failure) {
        Map<Throwable, Boolean> seen = new IdentityHashMap<>();
        Deque<Throwable> todo = new ArrayDeque<>(List.of(failure));
        List<Throwable> out = new java.util.ArrayList<>();
        while (!todo.isEmpty()) {
            Throwable t = todo.removeFirst();
            if (seen.put(t, true) != null) {
                continue;
            }
            out.add(t);
            if (t.getCause() != null) {
                todo.add(t.getCause());
            }
            todo.addAll(List.of(t.getSuppressed()));
        }
        return out;
    }
}
