package parlab.stage2.prodcons;

import java.util.List;

/**
 * What a run reports: the ledger's counts once every thread has ended, and the failures of producers that stopped
 * early. Plumbing: the same on both sides.
 *
 * @param produced items produced (put on the queue) according to the ledger
 * @param consumed items consumed exactly once according to the ledger
 * @param rejected ledger entries refused: an id produced twice, or consumed twice or without being produced
 * @param producerFailures the exception of every producer that failed, each once
 */
public record Report(long produced, long consumed, long rejected, List<Throwable> producerFailures) {
    public Report {
        producerFailures = List.copyOf(producerFailures);
    }
}
