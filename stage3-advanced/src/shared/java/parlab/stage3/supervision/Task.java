package parlab.stage3.supervision;

import java.util.Objects;

/**
 * One unit of work for a worker: an {@code id} unique within a run (no spaces) and a {@code payload} that
 * {@link WorkerMain} knows how to do (a number, or one of its test hooks).
 */
public record Task(String id, String payload) {
    public Task {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(payload, "payload");
        if (id.isEmpty() || id.chars().anyMatch(Character::isWhitespace)) {
            throw new IllegalArgumentException("a task id must be a non-empty word without spaces, not '" + id + "'");
        }
        if (payload.isEmpty() || payload.contains("\n")) {
            throw new IllegalArgumentException("a payload must be one non-empty line, not '" + payload + "'");
        }
    }
}
