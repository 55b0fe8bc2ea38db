package parlab.lab;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

/**
 * The learner's progress, kept in {@code .lab/state.json}: per exercise, whether its tests passed, for which
 * version of its files (a hash), and how many hints were shown. Survives restarts and {@code mvn clean}.
 */
public final class State {
    private static final JsonMapper JSON = JsonMapper.builder().build();

    /** One exercise's record; {@code hash} identifies the files it was checked with. */
    public record Entry(String hash, boolean passed, int hintsShown, String checkedAt) {
        static final Entry NEW = new Entry(null, false, 0, null);
    }

    private record Data(Map<String, Entry> exercises) {
    }

    private final Path file;
    private final Map<String, Entry> exercises;

    private State(Path file, Map<String, Entry> exercises) {
        this.file = file;
        this.exercises = exercises;
    }

    public static State load(Path root) {
        Path file = root.resolve(".lab/state.json");
        Map<String, Entry> exercises = new TreeMap<>();
        if (Files.isRegularFile(file)) {
            try {
                Data data = JSON.readValue(file.toFile(), Data.class);
                if (data.exercises() != null) {
                    exercises.putAll(data.exercises());
                }
            } catch (JacksonException e) {
                System.err.println("warning: " + file + " is damaged and was ignored (" + e.getOriginalMessage() + ")");
            }
        }
        return new State(file, exercises);
    }

    public synchronized Entry get(Exercise exercise) {
        return exercises.getOrDefault(exercise.id(), Entry.NEW);
    }

    /** Passed, and not edited since. */
    public synchronized boolean isDone(Exercise exercise, String currentHash) {
        Entry entry = get(exercise);
        return entry.passed() && currentHash.equals(entry.hash());
    }

    public synchronized void recordCheck(Exercise exercise, String hash, boolean passed) {
        Entry old = get(exercise);
        exercises.put(exercise.id(), new Entry(hash, passed, old.hintsShown(), Instant.now().toString()));
        save();
    }

    /** Counts one more hint shown and returns how many have been shown now. */
    public synchronized int nextHint(Exercise exercise) {
        Entry old = get(exercise);
        int shown = Math.min(old.hintsShown() + 1, Math.max(1, exercise.hints().size()));
        exercises.put(exercise.id(), new Entry(old.hash(), old.passed(), shown, old.checkedAt()));
        save();
        return shown;
    }

    public synchronized void forget(Exercise exercise) {
        exercises.remove(exercise.id());
        save();
    }

    private void save() {
        if (Boolean.getBoolean("lab.training")) {
            return; // the launcher's training run for the AOT cache must not count as the learner's progress
        }
        try {
            Files.createDirectories(file.getParent());
            Path tmp = file.resolveSibling("state.json.tmp");
            JSON.writerWithDefaultPrettyPrinter().writeValue(tmp.toFile(), new Data(exercises));
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot save progress to " + file, e);
        }
    }
}
