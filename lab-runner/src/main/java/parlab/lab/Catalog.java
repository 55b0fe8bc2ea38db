package parlab.lab;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.dataformat.toml.TomlMapper;

/** The exercises in the learner's order, read from {@code exercises.toml} with a real TOML parser. */
public final class Catalog {
    private final List<Exercise> exercises;

    private Catalog(List<Exercise> exercises) {
        this.exercises = List.copyOf(exercises);
    }

    /** The file's shape; field names are those of the TOML. */
    private record Entry(String id, String code, String module, @JsonProperty("package") String packageName,
            String title, String difficulty, String note, List<String> hints, String benchmark, String baseline,
            List<String> tests, List<String> files) {
    }

    private record File(List<Entry> exercise) {
    }

    public static Catalog load(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new LabException("no catalog at " + file + ": run ./lab from the workbook's folder");
        }
        File parsed;
        try {
            parsed = TomlMapper.builder()
                    .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                    .build()
                    .readValue(file.toFile(), File.class);
        } catch (JacksonException e) {
            throw new LabException(file.getFileName() + " is not valid: " + e.getOriginalMessage());
        }
        List<Exercise> exercises = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (Entry e : parsed.exercise() == null ? List.<Entry>of() : parsed.exercise()) {
            for (var field : new String[][] {{"id", e.id()}, {"code", e.code()}, {"module", e.module()},
                    {"package", e.packageName()}, {"title", e.title()}}) {
                if (field[1] == null || field[1].isBlank()) {
                    throw new LabException(file.getFileName() + ": exercise " + (e.id() == null ? "#" + (exercises.size() + 1) : e.id())
                            + " has no " + field[0]);
                }
            }
            if (!seen.add(e.id()) || !seen.add(e.code())) {
                throw new LabException(file.getFileName() + ": exercise " + e.id() + " (" + e.code() + ") appears twice");
            }
            List<String> others = new ArrayList<>();
            List<String> otherFiles = new ArrayList<>();
            for (Entry other : parsed.exercise()) {
                if (other != e && e.module().equals(other.module()) && e.packageName().equals(other.packageName())) {
                    if (other.tests() != null) {
                        others.addAll(other.tests());
                    }
                    if (other.files() != null) {
                        otherFiles.addAll(other.files());
                    }
                }
            }
            exercises.add(new Exercise(e.id(), e.code(), e.module(), e.packageName(), e.title(),
                    e.difficulty() == null ? "medium" : e.difficulty(), e.note(),
                    e.hints() == null ? List.of() : List.copyOf(e.hints()), e.benchmark(), e.baseline(),
                    e.tests(), others, e.files(), otherFiles));
        }
        return new Catalog(exercises);
    }

    /** The width of the longest id, so listings line up whatever the catalog holds. */
    public int idWidth() {
        return all().stream().mapToInt(e -> e.id().length()).max().orElse(0);
    }

    public List<Exercise> all() {
        return exercises;
    }

    /** By slug ({@code parallel-loops}) or curriculum code ({@code s1e01}). */
    public Optional<Exercise> find(String idOrCode) {
        return exercises.stream().filter(e -> e.id().equals(idOrCode) || e.code().equalsIgnoreCase(idOrCode)).findFirst();
    }

    public Exercise require(String idOrCode) {
        return find(idOrCode).orElseThrow(() -> new LabException("no exercise called '" + idOrCode
                + "'. ./lab list shows them all; use the id (parallel-loops) or the code (s1e01)."));
    }

    public int indexOf(Exercise exercise) {
        return exercises.indexOf(exercise);
    }
}
