package parlab.lab;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Prints the reference solution beside the learner's file, or after it on a narrow terminal. */
final class SideBySide {
    private SideBySide() {
    }

    static void print(Lab lab, Exercise exercise, PrintStream out) {
        Path root = lab.workspace().root();
        int width = terminalWidth();
        for (Path reference : Workspace.javaFiles(exercise.solutionDir(root)).stream().filter(exercise::owns).toList()) {
            Path mine = exercise.mainDir(root).resolve(exercise.solutionDir(root).relativize(reference).toString());
            List<String> left = Files.exists(mine) ? Main.read(mine).lines().toList() : List.of("(no such file)");
            List<String> right = Main.read(reference).lines().toList();
            out.println(lab.ui().bold("── " + lab.workspace().relative(mine) + "  ·  reference: "
                    + lab.workspace().relative(reference)));
            if (width >= 150) {
                int column = (width - 3) / 2;
                out.println(lab.ui().dim(pad("your code", column) + " │ reference"));
                for (int i = 0; i < Math.max(left.size(), right.size()); i++) {
                    String l = i < left.size() ? left.get(i) : "";
                    String r = i < right.size() ? right.get(i) : "";
                    out.println(pad(l, column) + lab.ui().dim(" │ ") + cut(r, column));
                }
            } else {
                out.println(lab.ui().dim("── your code"));
                left.forEach(out::println);
                out.println(lab.ui().dim("── reference"));
                right.forEach(out::println);
            }
            out.println();
        }
    }

    private static int terminalWidth() {
        String columns = System.getenv("COLUMNS");
        try {
            return columns != null ? Integer.parseInt(columns) : Integer.getInteger("lab.columns", 100);
        } catch (NumberFormatException e) {
            return 100;
        }
    }

    private static String cut(String s, int width) {
        String t = s.replace("\t", "    ");
        return t.length() > width ? t.substring(0, width - 1) + "…" : t;
    }

    private static String pad(String s, int width) {
        String t = cut(s, width);
        return t + " ".repeat(width - t.length());
    }
}
