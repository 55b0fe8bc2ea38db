package parlab.lab;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;

/**
 * Run once by {@code ./lab} after a build, under {@code -XX:AOTCacheOutput}: trains an AOT cache for each module's
 * test JVM (JUnit, AssertJ and the watchdog, mapped at start instead of loaded), then checks one exercise's
 * reference so that the runner's own cache covers the compiler and the checker.
 */
@Command(name = "prepare", hidden = true, description = "Train the AOT caches of the test JVMs and the runner.")
final class PrepareCommand implements Callable<Integer> {
    @Override
    public Integer call() throws IOException, InterruptedException {
        try (Lab lab = Main.open()) {
            List<Process> training = new ArrayList<>();
            for (String module : lab.catalog().all().stream().map(Exercise::module).distinct().toList()) {
                Path aot = lab.workspace().root().resolve(module).resolve("target/lab-host.aot");
                Files.deleteIfExists(aot);
                List<String> command = new ArrayList<>(Checker.hostCommandStart());
                // the class path the hosts use (Checker), so that the training's stays a prefix of theirs
                Jvm.Launch launch = Jvm.forModule(lab.workspace(), module, lab.workspace().moduleClasspath(module));
                command.addAll(List.of("-XX:AOTCacheOutput=" + aot, "-Xlog:aot=off", "-Xlog:cds=off"));
                command.addAll(launch.flags());
                command.addAll(List.of("-cp", Jvm.classpath(launch.classpath()), "parlab.testing.host.TestHost",
                        "--warm-up"));
                training.add(new ProcessBuilder(command).redirectErrorStream(true)
                        .redirectOutput(ProcessBuilder.Redirect.DISCARD).start());
            }
            for (Process p : training) {
                if (!p.waitFor(3, TimeUnit.MINUTES)) {
                    p.destroyForcibly();
                }
            }
            lab.catalog().all().stream().findFirst().ifPresent(e -> lab.checker().check(e, Checker.Side.SOLUTION));
            return 0;
        }
    }
}
