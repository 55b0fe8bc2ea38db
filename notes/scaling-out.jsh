// Scaling out: MapReduce in miniature — run with: jshell notes/scaling-out.jsh
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

void check(boolean ok, String message) { if (!ok) throw new AssertionError(message); }

// The input: 8,000 lines of words, split into M map tasks. Word frequencies are skewed, as in real text.
String[] VOCABULARY = "the of and to in a is that for it as was with be by on not he this are or his from at which".split(" ");
List<String> input() {
    var random = new SplittableRandom(2024);
    var lines = new ArrayList<String>();
    for (int i = 0; i < 8_000; i++) {
        var line = new StringBuilder();
        for (int w = 0; w < 12; w++) {
            int k = (int) (VOCABULARY.length * Math.pow(random.nextDouble(), 2));   // skewed towards the first words
            line.append(VOCABULARY[k]).append(w < 11 ? " " : "");
        }
        lines.add(line.toString());
    }
    return lines;
}

// Map: count the words of one split, and partition the counts by hash(word) mod R, one partition per reducer.
// Counting inside the map task is the "combiner": it sends one (word, n) per word instead of n times (word, 1).
int partitionOf(String word, int reducers) { return Math.floorMod(word.hashCode(), reducers); }

List<Map<String, Long>> mapTask(List<String> split, int reducers) {
    var partitions = new ArrayList<Map<String, Long>>();
    for (int r = 0; r < reducers; r++) partitions.add(new HashMap<>());
    for (String line : split)
        for (String word : line.split(" ")) partitions.get(partitionOf(word, reducers)).merge(word, 1L, Long::sum);
    return partitions;
}

// The master's record of finished map tasks. A task's output is committed once: the first attempt to finish wins,
// and any later attempt (a re-execution, a backup of a straggler) is refused. This is what makes re-running safe.
Map<Integer, List<Map<String, Long>>> committed = new ConcurrentHashMap<>();
AtomicInteger refused = new AtomicInteger();
void commit(int task, List<Map<String, Long>> output) {
    if (committed.putIfAbsent(task, output) != null) refused.incrementAndGet();
}

int MAPS = 8, REDUCERS = 3, FAILING = 3, STRAGGLER = 5;
CountDownLatch backupCommitted = new CountDownLatch(1);

// One attempt of a map task. Task 3's first attempt dies (a lost worker). Task 5's first attempt is a straggler:
// it finishes only after its backup copy has committed, and its own commit is then refused.
Callable<Void> attempt(List<List<String>> splits, int task, int attempt) {
    return () -> {
        if (task == FAILING && attempt == 0) throw new IllegalStateException("worker lost during map task " + task);
        var output = mapTask(splits.get(task), REDUCERS);
        if (task == STRAGGLER && attempt == 0) backupCommitted.await();       // slow machine
        commit(task, output);
        if (task == STRAGGLER && attempt == 1) backupCommitted.countDown();
        return null;
    };
}

void mapReduce() throws Exception {
    List<String> lines = input();
    var splits = new ArrayList<List<String>>();
    for (int m = 0; m < MAPS; m++) splits.add(lines.subList(m * lines.size() / MAPS, (m + 1) * lines.size() / MAPS));

    int reExecuted = 0, backups = 0;
    var results = new TreeMap<String, Long>();
    var reducerOf = new HashMap<String, Integer>();
    try (ExecutorService workers = Executors.newFixedThreadPool(3)) {
        // Map phase.
        var first = new ArrayList<Future<Void>>();
        for (int m = 0; m < MAPS; m++) first.add(workers.submit(attempt(splits, m, 0)));
        for (int m = 0; m < MAPS; m++) {
            if (m == STRAGGLER) continue;
            try { first.get(m).get(); }
            catch (ExecutionException failed) {                                 // the master re-executes the task
                System.out.println("map task " + m + " failed (" + failed.getCause().getMessage() + "): re-executed");
                workers.submit(attempt(splits, m, 1)).get();
                reExecuted++;
            }
        }
        // Every task but one is done, and that one is still running: a straggler. Launch a backup copy.
        check(!first.get(STRAGGLER).isDone(), "the straggler is still running when all others are done");
        workers.submit(attempt(splits, STRAGGLER, 1)).get();
        backups++;
        first.get(STRAGGLER).get();                                          // it ends; its late commit is refused
        check(committed.size() == MAPS, "every map task committed exactly once");

        // Shuffle and reduce: reducer r reads partition r of every committed map output, and sums per word.
        var reduced = new ArrayList<Future<Map<String, Long>>>();
        for (int r = 0; r < REDUCERS; r++) {
            int part = r;
            reduced.add(workers.submit(() -> {
                var sums = new HashMap<String, Long>();
                for (int m = 0; m < MAPS; m++) committed.get(m).get(part).forEach((w, n) -> sums.merge(w, n, Long::sum));
                return sums;
            }));
        }
        for (int r = 0; r < REDUCERS; r++)
            for (var e : reduced.get(r).get().entrySet()) {
                check(reducerOf.put(e.getKey(), r) == null, "each word is reduced by exactly one reducer: " + e.getKey());
                results.put(e.getKey(), e.getValue());
            }
    }

    var sequential = new TreeMap<String, Long>();
    for (String line : lines) for (String w : line.split(" ")) sequential.merge(w, 1L, Long::sum);
    check(results.equals(sequential), "MapReduce word count equals the sequential count");
    check(reExecuted == 1 && backups == 1 && refused.get() == 1, "one re-execution, one backup, one late commit refused");
    var perReducer = new int[REDUCERS];
    reducerOf.values().forEach(r -> perReducer[r]++);
    System.out.printf("%d map tasks, %d reducers: %,d words counted, equal to the sequential count%n",
            MAPS, REDUCERS, results.values().stream().mapToLong(Long::longValue).sum());
    System.out.printf("  re-executed %d failed task, ran %d backup for the straggler, refused %d late commit%n", reExecuted, backups, refused.get());
    System.out.printf("  distinct words per reducer: %s; top 3: %s%n", java.util.Arrays.toString(perReducer),
            results.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed()).limit(3).toList());
}

mapReduce();
/exit
