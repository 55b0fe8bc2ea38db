package parlab.stage3.mapreduce;

import java.util.SortedMap;

/**
 * What a finished job produced: the count of every word, how many tasks had to be run again because their worker
 * died, and how many workers died.
 */
public record JobResult(SortedMap<String, Long> counts, int reassignedTasks, int deadWorkers) {
}
