package parlab.capstone;

/** Where chunks are parsed: on threads of the running JVM, or in supervised worker JVMs ({@code --workers}). */
public enum WorkerMode {
    THREADS,
    PROCESSES
}
