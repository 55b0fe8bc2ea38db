package parlab.stage3.etl;

/**
 * What one {@link ParallelEtl#load} did: {@code rowsLoaded} rows went into {@value EtlSchema#SALES},
 * {@code rejected} lines into {@value EtlSchema#REJECTS}, and the file was cut into {@code chunks} chunks. The
 * header is neither loaded nor rejected, so {@code rowsLoaded + rejected} is the number of lines after it.
 */
public record EtlReport(long rowsLoaded, long rejected, int chunks) {
}
