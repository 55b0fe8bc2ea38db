package parlab.stage3.mapreduce;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MapReduceTest {
    private static final List<String> VOCABULARY = List.of("the", "quick", "brown", "fox", "jumps", "over", "lazy",
            "dog", "parallel", "process", "worker", "shuffle", "reduce", "map", "partition", "café", "naïve", "straße",
            "don't", "it's", "polygenelubricants", "zmq", "42", "2026", "élan", "ÉLAN", "Fox", "DOG", "x", "y");

    @TempDir
    Path dir;

    /** Seeded text files: same content on every run, words from a small vocabulary with punctuation between. */
    private List<Path> inputs(int files, int lines) throws IOException {
        Random random = new Random(2026);
        List<Path> inputs = new ArrayList<>();
        Path inputDir = Files.createDirectories(dir.resolve("input"));
        for (int f = 0; f < files; f++) {
            StringBuilder text = new StringBuilder();
            for (int l = 0; l < lines; l++) {
                int words = random.nextInt(12);
                for (int w = 0; w < words; w++) {
                    text.append(VOCABULARY.get(random.nextInt(VOCABULARY.size())));
                    text.append(switch (random.nextInt(6)) {
                        case 0 -> ", ";
                        case 1 -> ". ";
                        case 2 -> " -- ";
                        default -> " ";
                    });
                }
                text.append('\n');
            }
            inputs.add(Files.writeString(inputDir.resolve("part-" + f + ".txt"), text, StandardCharsets.UTF_8));
        }
        return inputs;
    }

    /** What the listener saw: one line per assignment, and every worker process. */
    static class Log implements JobListener {
        final List<String> assignments = new CopyOnWriteArrayList<>();
        final List<Process> processes = new CopyOnWriteArrayList<>();
        final List<Thread> zmqThreadsBefore = zmqThreads(); // made before the job: not the job's to close

        @Override
        public void onAssigned(String worker, Task task, Process process) {
            assignments.add(task + " -> " + worker);
            if (!processes.contains(process)) {
                processes.add(process);
            }
        }

        List<String> tasks() {
            return assignments.stream().map(a -> a.substring(0, a.indexOf(" -> "))).toList();
        }
    }

    /**
     * Runs the job on a thread of its own and gives up after {@code limit} with a message that names the likely
     * cause, instead of letting a manager that waits forever for a lost task run into the test's time-out.
     */
    private static JobResult runWithin(JobManager manager, List<Path> inputs, Duration limit,
                                       java.util.function.Supplier<String> ifStuck)
            throws Exception {
        java.util.concurrent.atomic.AtomicReference<Object> outcome = new java.util.concurrent.atomic.AtomicReference<>();
        Thread runner = new Thread(() -> {
            try {
                outcome.set(manager.run(inputs));
            } catch (Throwable t) {
                outcome.set(t);
            }
        }, "job-runner");
        runner.start();
        runner.join(limit);
        if (runner.isAlive()) {
            runner.interrupt();
            throw new AssertionError("run() had not returned after " + limit.toSeconds() + " s: " + ifStuck.get());
        }
        if (outcome.get() instanceof Throwable failure) {
            if (failure instanceof Exception e) {
                throw e;
            }
            throw new AssertionError("run() failed", failure);
        }
        return (JobResult) outcome.get();
    }

    private static void assertNothingLeftBehind(Log log) {
        assertThat(log.processes).as("worker processes still running when run() returned (orphans)")
                .noneMatch(Process::isAlive);
        assertThat(ProcessHandle.current().children().filter(ProcessHandle::isAlive)
                .map(p -> p.info().commandLine().orElse("?")).filter(c -> c.contains(WorkerMain.class.getName())))
                .as("worker processes still running when run() returned, including those that never got a task "
                        + "(orphans: wait for every process you start, and destroy it if it does not leave)")
                .isEmpty();
        assertThat(zmqThreads().stream().filter(t -> !log.zmqThreadsBefore.contains(t)).map(Thread::getName))
                .as("ZeroMQ threads alive when run() returned: close the ZContext (try-with-resources)")
                .isEmpty();
    }

    private static List<Thread> zmqThreads() {
        return Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive)
                .filter(t -> t.getName().startsWith("reaper-") || t.getName().startsWith("iothread-")).toList();
    }

    @Test
    void partitionsCoverTheRangeAndAgreeForEveryWord() {
        assertThat("polygenelubricants".hashCode()).as("a word whose hash is Integer.MIN_VALUE")
                .isEqualTo(Integer.MIN_VALUE);
        for (String word : VOCABULARY) {
            for (int reducers = 1; reducers <= 7; reducers++) {
                assertThat(Shuffle.partitionOf(word, reducers))
                        .as("partition of \"%s\" (hash %d) among %d", word, word.hashCode(), reducers)
                        .isBetween(0, reducers - 1)
                        .isEqualTo(Shuffle.partitionOf(new String(word.toCharArray()), reducers));
            }
        }
        assertThatThrownBy(() -> Shuffle.partitionOf("fox", 0)).as("0 reducers")
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void mapAndReduceInProcessGiveTheSequentialCount() throws IOException {
        List<Path> inputs = inputs(4, 300);
        Path work = Files.createDirectories(dir.resolve("work"));
        int reducers = 3;
        for (int m = 0; m < inputs.size(); m++) {
            Shuffle.map(m, inputs.get(m), reducers, work);
        }
        for (int r = 0; r < reducers; r++) {
            assertThat(WordCount.mapOutput(work, 0, r)).as("map 0's file for partition %d", r).exists();
        }
        SortedMap<String, Long> counts = new TreeMap<>();
        for (int r = 0; r < reducers; r++) {
            Shuffle.reduce(r, inputs.size(), work);
            Map<String, Long> partition = Shuffle.read(WordCount.reduceOutput(work, r));
            int p = r;
            assertThat(partition.keySet()).as("words in out-%d.tsv: only those of partition %d", r, r)
                    .allMatch(word -> Shuffle.partitionOf(word, reducers) == p);
            counts.putAll(partition);
        }
        assertThat(counts).as("word counts through map, files and reduce")
                .isEqualTo(WordCount.sequentialCount(inputs));
    }

    @Test
    void aRerunMapReplacesItsFilesAndStrayFilesAreIgnored() throws IOException {
        List<Path> inputs = inputs(2, 200);
        Path work = Files.createDirectories(dir.resolve("work"));
        Shuffle.map(0, inputs.get(0), 2, work);
        Shuffle.map(1, inputs.get(1), 2, work);
        Shuffle.map(0, inputs.get(0), 2, work); // map 0 again, as after its first worker was killed
        // what a worker killed mid-write leaves behind, and output of a map task that is not part of this job
        Files.writeString(work.resolve("map-0-part-0.tsv.12345.tmp"), "the\t1000000\nfox\t1");
        Files.writeString(work.resolve("map-2-part-0.tsv"), "the\t1000000\n");
        SortedMap<String, Long> counts = new TreeMap<>();
        for (int r = 0; r < 2; r++) {
            Shuffle.reduce(r, 2, work);
            counts.putAll(Shuffle.read(WordCount.reduceOutput(work, r)));
        }
        assertThat(counts).as("counts after map 0 ran twice, with stray files in the work directory (a rerun "
                + "replaces its files; reduce reads only map-<m>-part-<r>.tsv for m < maps)")
                .isEqualTo(WordCount.sequentialCount(inputs));
        assertThat(Files.list(work).map(p -> p.getFileName().toString()).toList())
                .as("files left in the work directory by map and reduce (temporary files must be moved or deleted)")
                .containsExactlyInAnyOrder("map-0-part-0.tsv", "map-0-part-1.tsv", "map-1-part-0.tsv",
                        "map-1-part-1.tsv", "out-0.tsv", "out-1.tsv", "map-0-part-0.tsv.12345.tmp", "map-2-part-0.tsv");
    }

    @Test
    void wordCountOverWorkerProcessesEqualsTheSequentialCount() throws Exception {
        List<Path> inputs = inputs(7, 400);
        Path work = dir.resolve("work");
        List<String> early = new CopyOnWriteArrayList<>();
        Log log = new Log() {
            @Override
            public void onAssigned(String worker, Task task, Process process) {
                super.onAssigned(worker, task, process);
                for (int m = 0; m < inputs.size() && task.kind() == Task.Kind.REDUCE; m++) {
                    if (!Files.exists(WordCount.mapOutput(work, m, task.id()))) {
                        early.add(task + " before MAP " + m + " was done");
                    }
                }
            }
        };
        JobConfig config = new JobConfig(2, 3, work, Duration.ofMillis(100));
        JobResult result = runWithin(new JobManager(config, log), inputs,
                Duration.ofSeconds(12), () -> "does it hand out every task, and leave its loop once all are done?");
        assertThat(early).as("reduce tasks handed out while a map task was still running (the shuffle is a "
                + "barrier: reduce r needs partition r of every map)").isEmpty();
        assertThat(result.counts()).as("word counts from 2 worker processes, 7 maps and 3 reducers")
                .isEqualTo(WordCount.sequentialCount(inputs));
        assertThat(result.deadWorkers()).as("workers that died in a quiet run").isZero();
        assertThat(result.reassignedTasks()).as("tasks given out twice in a quiet run").isZero();
        assertThat(log.tasks()).as("tasks assigned, in order: every map before any reduce (the shuffle barrier)")
                .containsExactlyInAnyOrder("MAP 0", "MAP 1", "MAP 2", "MAP 3", "MAP 4", "MAP 5", "MAP 6", "REDUCE 0",
                        "REDUCE 1", "REDUCE 2")
                .satisfies(tasks -> assertThat(tasks.subList(0, 7)).as("the first 7 assignments").allMatch(
                        t -> t.startsWith("MAP")));
        assertNothingLeftBehind(log);
    }

    @Test
    void killingAWorkerMidMapStillGivesExactCounts() throws Exception {
        List<Path> inputs = inputs(6, 400);
        // the kill needs a map task handed out once every worker has had a task; on a busy machine the second
        // worker's JVM can start after the first worker took every map (6 x 300 ms): then the job runs again
        for (int attempt = 1; attempt <= 3; attempt++) {
            List<String> killed = new CopyOnWriteArrayList<>();
            JobConfig config = new JobConfig(2, 2, dir.resolve("work" + attempt), Duration.ofMillis(300));
            Log log = new Log() {
                private final Set<String> given = ConcurrentHashMap.newKeySet();

                @Override
                public void onAssigned(String worker, Task task, Process process) {
                    super.onAssigned(worker, task, process);
                    given.add(worker);
                    // kill -9 while the task is out (each map waits 300 ms first), once every worker has had a
                    // task: all are connected then. (A worker killed while another is still connecting can make
                    // jeromq lose the newcomer's first message, a transport race this test is not about.)
                    if (killed.isEmpty() && task.kind() == Task.Kind.MAP && given.size() == config.workers()) {
                        killed.add(task + " on " + worker);
                        process.destroyForcibly();
                    }
                }
            };
            JobResult result = runWithin(new JobManager(config, log), inputs, Duration.ofSeconds(12),
                    () -> "a worker was killed with its task (" + killed + "); was that task given to another worker?");
            assertThat(result.counts()).as("word counts after %s was killed with destroyForcibly()", killed)
                    .isEqualTo(WordCount.sequentialCount(inputs));
            assertNothingLeftBehind(log);
            if (killed.isEmpty()) {
                continue; // no map was out on a worker once both had connected: nothing was killed
            }
            assertThat(result.deadWorkers()).as("workers that died").isEqualTo(1);
            assertThat(result.reassignedTasks()).as("tasks given out again after their worker died").isEqualTo(1);
            String lostTask = killed.getFirst().substring(0, killed.getFirst().indexOf(" on "));
            assertThat(log.tasks()).as("assignments of %s (the killed worker's task must be given to another worker)",
                    lostTask).filteredOn(lostTask::equals).hasSize(2);
            return;
        }
        throw new AssertionError("in 3 jobs no map task was handed out once both workers had had a task, so no "
                + "worker could be killed mid map: are tasks handed to every worker that is ready?");
    }

    @Test
    void aJobWhoseWorkersAllDieFailsWithAClearMessage() throws Exception {
        List<Path> inputs = inputs(3, 50);
        Log log = new Log() {
            @Override
            public void onAssigned(String worker, Task task, Process process) {
                super.onAssigned(worker, task, process);
                process.destroyForcibly();
            }
        };
        JobConfig config = new JobConfig(1, 2, dir.resolve("work"), Duration.ofMillis(300));
        Throwable thrown = catchThrowable(() -> new JobManager(config, log).run(inputs));
        assertThat(thrown).as("what run() throws when its only worker is killed").isInstanceOf(JobFailedException.class)
                .hasMessageContaining("every worker died");
        assertNothingLeftBehind(log);
    }

    @Test
    void aFailingTaskFailsTheJobWithItsMessage() throws Exception {
        List<Path> inputs = new ArrayList<>(inputs(2, 50));
        inputs.add(dir.resolve("input/no-such-file.txt"));
        Log log = new Log();
        Throwable thrown = catchThrowable(() -> new JobManager(new JobConfig(1, 2, dir.resolve("work")), log)
                .run(inputs));
        assertThat(thrown).as("what run() throws when a map task fails inside its worker")
                .isInstanceOf(JobFailedException.class)
                .hasMessageContaining("MAP")
                .hasMessageContaining("no-such-file.txt");
        assertNothingLeftBehind(log);
    }
}
