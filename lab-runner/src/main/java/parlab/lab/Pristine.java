package parlab.lab;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The exercise files as they were shipped, taken from git: the upstream branch if there is one (so a learner's
 * own commits are not mistaken for the original), else {@code HEAD}.
 */
final class Pristine {
    private Pristine() {
    }

    static List<String> restore(Workspace workspace, Exercise exercise) {
        String ref = git(workspace, "rev-parse", "--verify", "--quiet", "@{upstream}").isBlank() ? "HEAD" : "@{upstream}";
        List<String> restored = new ArrayList<>();
        for (Path dir : List.of(exercise.mainDir(workspace.root()), exercise.testDir(workspace.root()))) {
            String rel = workspace.relative(dir);
            boolean main = dir.equals(exercise.mainDir(workspace.root()));
            List<String> shipped = git(workspace, "ls-tree", "-r", "--name-only", ref, "--", rel).lines()
                    .filter(f -> !main || exercise.owns(Path.of(f))).toList();
            if (shipped.isEmpty()) {
                throw new LabException("git knows no files under " + rel + " at " + ref
                        + ": reset needs the workbook as a git clone");
            }
            boolean shared = main && (!exercise.files().isEmpty() || !exercise.otherFiles().isEmpty());
            for (Path file : Workspace.files(dir)) { // files the learner added go too, unless other exercises share the folder
                if (!shared && !shipped.contains(workspace.relative(file))) {
                    delete(file);
                }
            }
            List<String> checkout = new ArrayList<>(List.of("checkout", ref, "--"));
            checkout.addAll(shared ? shipped : List.of(rel));
            git(workspace, checkout.toArray(String[]::new));
            restored.addAll(shipped);
        }
        return restored;
    }

    private static void delete(Path file) {
        try {
            Files.delete(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String git(Workspace workspace, String... args) {
        List<String> command = new ArrayList<>(List.of("git", "-C", workspace.root().toString()));
        command.addAll(List.of(args));
        try {
            Process git = new ProcessBuilder(command).redirectErrorStream(false).start();
            String out = new String(git.getInputStream().readAllBytes());
            git.getErrorStream().transferTo(java.io.OutputStream.nullOutputStream());
            if (!git.waitFor(30, TimeUnit.SECONDS)) {
                git.destroyForcibly();
                throw new LabException("git did not answer within 30 s");
            }
            if (git.exitValue() != 0 && !args[0].equals("rev-parse")) {
                throw new LabException("git " + String.join(" ", args) + " failed (exit " + git.exitValue()
                        + "): reset needs git and the workbook as a git clone");
            }
            return out;
        } catch (IOException e) {
            throw new LabException("cannot run git (" + e.getMessage() + "): reset needs git on the PATH");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LabException("interrupted");
        }
    }
}
