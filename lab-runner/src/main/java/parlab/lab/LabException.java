package parlab.lab;

/** A problem the learner can fix; its message says what happened and what to do. Exits with status 2. */
public final class LabException extends RuntimeException {
    public LabException(String message) {
        super(message);
    }
}
