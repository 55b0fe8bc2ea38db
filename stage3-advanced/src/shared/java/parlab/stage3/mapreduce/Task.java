package parlab.stage3.mapreduce;

/** One unit of work the job manager hands to a worker: map task {@code id} (one input file) or reduce task {@code id} (one partition). */
public record Task(Kind kind, int id) {
    public enum Kind { MAP, REDUCE }

    @Override
    public String toString() {
        return kind + " " + id;
    }
}
