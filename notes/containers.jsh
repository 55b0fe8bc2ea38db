// Containers and CPU limits — run with: jshell notes/containers.jsh
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.tools.ToolProvider;

void check(boolean ok, String message) { if (!ok) throw new AssertionError(message); }

// 1. What this JVM sees, and what the cgroup says (Linux only; on other systems the files are not there).
String read(String file) {
    try { return Files.readString(Path.of(file)).strip(); } catch (Exception e) { return null; }
}

void here() {
    int cpus = Runtime.getRuntime().availableProcessors();
    var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    check(cpus >= 1 && os.getAvailableProcessors() == cpus, "availableProcessors agrees with the OS bean");
    System.out.printf("this JVM: availableProcessors %d, memory it sees %,d MiB%n", cpus, os.getTotalMemorySize() >> 20);
    String max = read("/sys/fs/cgroup/cpu.max");                               // cgroup v2: "quota period" or "max period"
    String quotaV1 = read("/sys/fs/cgroup/cpu/cpu.cfs_quota_us");               // cgroup v1
    if (max != null) {
        String[] qp = max.split(" ");
        System.out.printf("cgroup v2 cpu.max: %s -> %s%n", max,
                qp[0].equals("max") ? "no CPU quota" : String.format("%.2f CPUs of quota", Double.parseDouble(qp[0]) / Double.parseDouble(qp[1])));
        String stat = read("/sys/fs/cgroup/cpu.stat");
        if (stat != null) stat.lines().filter(l -> l.startsWith("nr_throttled") || l.startsWith("throttled_usec"))
                .forEach(l -> System.out.println("cgroup v2 cpu.stat: " + l));
    } else if (quotaV1 != null) {
        System.out.printf("cgroup v1 cpu.cfs_quota_us: %s (-1 means no quota)%n", quotaV1);
    } else {
        System.out.println("no cgroup CPU files here (not Linux, or not readable)");
    }
}

// 2. A pool sized from availableProcessors, with an override that wins, checked in child JVMs whose CPU count is
//    set by -XX:ActiveProcessorCount, as a container's quota would set it.
String SIZER = """
    class Sizer {
        static int poolSize() {
            String override = System.getProperty("workers");                // configuration beats detection
            return override != null ? Integer.parseInt(override) : Runtime.getRuntime().availableProcessors();
        }
        public static void main(String[] args) {
            System.out.println(Runtime.getRuntime().availableProcessors() + " " + poolSize() + " "
                    + java.util.concurrent.ForkJoinPool.commonPool().getParallelism());
        }
    }
    """;

void children() throws Exception {
    Path dir = Files.createTempDirectory("containers");
    var started = new ArrayList<Process>();
    try {
        Path source = Files.writeString(dir.resolve("Sizer.java"), SIZER);
        check(ToolProvider.getSystemJavaCompiler().run(null, null, null, "-d", dir.toString(), source.toString()) == 0, "the child compiles");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<List<String>> flags = List.of(List.of("-XX:ActiveProcessorCount=1"), List.of("-XX:ActiveProcessorCount=1", "-Dworkers=3"),
                List.of("-XX:ActiveProcessorCount=6"));
        for (var f : flags) {
            var command = new ArrayList<>(List.of(java, "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC"));
            command.addAll(f);
            command.addAll(List.of("-cp", dir.toString(), "Sizer"));
            started.add(new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start());
        }
        // The JVM's own report of the container it runs in (or that it finds none).
        started.add(new ProcessBuilder(java, "-XshowSettings:system", "-version").redirectErrorStream(true).start());

        var answers = new ArrayList<String>();
        for (int i = 0; i < 3; i++) {
            answers.add(started.get(i).inputReader().readLine());
            check(started.get(i).waitFor(30, TimeUnit.SECONDS) && started.get(i).exitValue() == 0, "child " + i + " ends well");
        }
        check(answers.get(0).equals("1 1 1"), "ActiveProcessorCount=1: 1 CPU, a pool of 1, a common pool of 1: " + answers.get(0));
        check(answers.get(1).equals("1 3 1"), "the override wins over detection: " + answers.get(1));
        check(answers.get(2).equals("6 6 5"), "ActiveProcessorCount=6 on any machine: 6 CPUs, common pool 5: " + answers.get(2));
        System.out.println("child JVMs (availableProcessors, pool size, common pool parallelism):");
        for (int i = 0; i < 3; i++) System.out.printf("  %-52s -> %s%n", String.join(" ", flags.get(i)), answers.get(i));

        Process settings = started.get(3);
        List<String> lines = settings.inputReader().readAllLines();
        check(settings.waitFor(30, TimeUnit.SECONDS), "java -XshowSettings:system ends");
        System.out.println("java -XshowSettings:system says:");
        lines.stream().filter(l -> !l.isBlank() && !l.startsWith("openjdk") && !l.startsWith("OpenJDK")).limit(8)
                .forEach(l -> System.out.println("  " + l.strip()));
    } finally {
        for (var p : started) p.destroyForcibly().waitFor();
        try (var files = Files.walk(dir)) { files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete()); }
    }
}

here();
children();
/exit
