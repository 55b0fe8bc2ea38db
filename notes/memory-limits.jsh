// Memory limits — run with: jshell notes/memory-limits.jsh
import java.lang.management.BufferPoolMXBean;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import javax.tools.ToolProvider;

void check(boolean ok, String message) { if (!ok) throw new AssertionError(message); }

// 1. What this JVM may use. maxMemory is the heap limit (-Xmx, or a percentage of the RAM the JVM sees);
//    direct buffers and mapped files are off-heap, counted by their own buffer pools.
void thisJvm() {
    var rt = Runtime.getRuntime();
    long mib = 1 << 20;
    check(rt.maxMemory() >= rt.totalMemory() && rt.totalMemory() >= rt.freeMemory(), "max >= committed >= free");
    System.out.printf("this JVM: heap max %,d MiB, committed %,d MiB, used %,d MiB%n",
            rt.maxMemory() / mib, rt.totalMemory() / mib, (rt.totalMemory() - rt.freeMemory()) / mib);
    for (var pool : ManagementFactory.getPlatformMXBeans(BufferPoolMXBean.class))
        System.out.printf("  off-heap pool %-7s %d buffers, %,d bytes%n", pool.getName(), pool.getCount(), pool.getMemoryUsed());
}

// 2. Child JVMs that run out of memory, each in its own way, while this JVM lives on.
String HOG = """
    import java.nio.ByteBuffer;
    import java.util.ArrayList;
    class Hog {
        public static void main(String[] args) {
            switch (args[0]) {
                case "max" -> System.out.println("maxMemory " + Runtime.getRuntime().maxMemory());
                case "heap" -> { var keep = new ArrayList<long[]>(); while (true) keep.add(new long[1 << 16]); }
                case "direct" -> { var keep = new ArrayList<ByteBuffer>(); while (true) keep.add(ByteBuffer.allocateDirect(256 << 10)); }
                default -> throw new IllegalArgumentException(args[0]);
            }
        }
    }
    """;

record Outcome(String name, int exitCode, List<String> output) {
    boolean said(String text) { return output.stream().anyMatch(l -> l.contains(text)); }
}

void children() throws Exception {
    Path dir = Files.createTempDirectory("memory");
    var started = new ArrayList<Process>();
    try {
        Path source = Files.writeString(dir.resolve("Hog.java"), HOG);
        check(ToolProvider.getSystemJavaCompiler().run(null, null, null, "-d", dir.toString(), source.toString()) == 0, "the child compiles");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String[][] runs = {
            {"as if in a 1 GB container", "-XX:MaxRAM=1g", "max"},                  // default MaxRAMPercentage=25
            {"-Xmx16m", "-Xmx16m", "heap"},
            {"-Xmx16m -XX:+ExitOnOutOfMemoryError", "-Xmx16m -XX:+ExitOnOutOfMemoryError", "heap"},
            {"-XX:MaxDirectMemorySize=1m", "-XX:MaxDirectMemorySize=1m", "direct"},
        };
        for (String[] run : runs) {                                                 // all four start at once
            var command = new ArrayList<>(List.of(java, "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xshare:auto"));
            command.addAll(List.of(run[1].split(" ")));
            command.addAll(List.of("-cp", dir.toString(), "Hog", run[2]));
            started.add(new ProcessBuilder(command).redirectErrorStream(true).start());
        }
        var outcomes = new ArrayList<Outcome>();
        for (int i = 0; i < runs.length; i++) {
            Process p = started.get(i);
            List<String> out = p.inputReader().readAllLines();                     // stdout and stderr, merged
            check(p.waitFor(60, TimeUnit.SECONDS), "child " + runs[i][0] + " ended");
            outcomes.add(new Outcome(runs[i][0], p.exitValue(), out));
        }

        long max = Long.parseLong(outcomes.get(0).output().getFirst().split(" ")[1]);
        long quarter = 256L << 20;                                                   // 25 % of 1 GiB
        check(max <= quarter && max > quarter * 85 / 100, "the heap limit is about 25 % of the RAM the JVM sees: " + max);
        System.out.printf("%-38s -> heap max %,d MiB (25 %% of 1 GiB, less a survivor space)%n", outcomes.get(0).name(), max >> 20);

        var heap = outcomes.get(1);
        check(heap.exitCode() == 1 && heap.said("java.lang.OutOfMemoryError: Java heap space"), "uncaught heap OOM: exit 1 and the error");
        var exitOn = outcomes.get(2);
        check(exitOn.exitCode() == 3 && exitOn.said("Terminating due to java.lang.OutOfMemoryError: Java heap space"), "ExitOnOutOfMemoryError: exit 3");
        var direct = outcomes.get(3);
        check(direct.exitCode() == 1 && direct.said("Cannot reserve") && direct.said("direct buffer memory"), "direct memory has its own limit and its own OOM");
        for (var o : outcomes.subList(1, 4))
            System.out.printf("%-38s -> exit %d: %s%n", o.name(), o.exitCode(),
                    o.output().stream().filter(l -> l.contains("OutOfMemoryError")).findFirst().orElse("?"));
    } finally {
        for (var p : started) p.destroyForcibly().waitFor();
        try (var files = Files.walk(dir)) { files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete()); }
    }
}

// 3. Byte-weighted admission: a request is admitted only if its bytes fit in what is left of the budget; otherwise it
//    is turned away at once (the caller may retry later) instead of being allowed to push the heap over the edge.
void admission() throws InterruptedException {
    int budget = 64 << 20;                                                          // 64 MiB for requests in flight
    var permits = new Semaphore(budget);
    var inFlight = new AtomicLong();
    var peak = new AtomicLong();
    var admitted = new AtomicInteger();
    var rejected = new AtomicInteger();

    // The rule itself, step by step: 60 MiB held, so an 8 MiB request does not fit and is turned away; 4 MiB does.
    check(permits.tryAcquire(60 << 20), "60 MiB admitted");
    check(!permits.tryAcquire(8 << 20), "8 MiB more would pass the budget: rejected at once");
    check(permits.tryAcquire(4 << 20), "4 MiB still fits");
    permits.release(64 << 20);

    Thread[] clients = new Thread[4];
    for (int c = 0; c < clients.length; c++) {
        long seed = c;
        clients[c] = Thread.ofPlatform().start(() -> {
            var random = new SplittableRandom(seed);
            for (int i = 0; i < 2_000; i++) {
                int size = random.nextInt(4 << 20, 32 << 20);                     // 4 to 32 MiB each
                if (!permits.tryAcquire(size)) { rejected.incrementAndGet(); continue; }
                try {
                    peak.accumulateAndGet(inFlight.addAndGet(size), Math::max);
                    admitted.incrementAndGet();
                    long x = size;                                                  // "process" the request
                    for (int k = 0; k < 20_000; k++) x = x * 6364136223846793005L + 1;
                    if (x == 42) System.out.print("");
                } finally {
                    inFlight.addAndGet(-size);
                    permits.release(size);                                          // on every path
                }
            }
        });
    }
    for (var t : clients) t.join();
    check(peak.get() <= budget, "bytes in flight never above the budget: " + peak.get());
    check(admitted.get() + rejected.get() == 8_000 && permits.availablePermits() == budget, "every request counted, every byte returned");
    System.out.printf("admission: budget %d MiB, %,d requests admitted, %,d rejected, peak %,d MiB in flight%n",
            budget >> 20, admitted.get(), rejected.get(), peak.get() >> 20);
}

thisJvm();
children();
admission();
/exit
