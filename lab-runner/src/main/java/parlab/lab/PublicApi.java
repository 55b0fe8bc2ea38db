package parlab.lab;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.classfile.ClassFile;
import java.lang.classfile.ClassModel;
import java.lang.classfile.FieldModel;
import java.lang.classfile.MethodModel;
import java.lang.reflect.AccessFlag;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * The public and protected API of an exercise's compiled main classes, read from the class files. Skeleton and
 * reference must offer the same API, or the tests would mean different things on the two sides.
 */
final class PublicApi {
    private PublicApi() {
    }

    /** Members as text, such as {@code parlab.stage1.loops.ParallelLoops.sumOfSquares(JJILjava/util/...;)J}. */
    static Set<String> of(Path classesDir, Exercise exercise, List<Path> mainSources) {
        Set<String> members = new TreeSet<>();
        Path packageDir = classesDir.resolve(exercise.packagePath());
        for (Path source : mainSources) {
            String name = source.getFileName().toString().replace(".java", "");
            try (var files = Files.list(packageDir)) {
                for (Path classFile : files.filter(f -> f.getFileName().toString().equals(name + ".class")
                        || f.getFileName().toString().startsWith(name + "$")).toList()) {
                    read(classFile, members);
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return members;
    }

    private static void read(Path classFile, Set<String> members) throws IOException {
        ClassModel model = ClassFile.of().parse(classFile);
        if (!visible(model.flags().flags())) {
            return;
        }
        String type = model.thisClass().asInternalName().replace('/', '.');
        members.add(type);
        for (MethodModel method : model.methods()) {
            if (visible(method.flags().flags()) && !method.methodName().stringValue().startsWith("lambda$")) {
                members.add(type + "." + method.methodName().stringValue() + method.methodType().stringValue());
            }
        }
        for (FieldModel field : model.fields()) {
            if (visible(field.flags().flags())) {
                members.add(type + "." + field.fieldName().stringValue() + ":" + field.fieldType().stringValue());
            }
        }
    }

    private static boolean visible(Set<AccessFlag> flags) {
        return flags.contains(AccessFlag.PUBLIC) || flags.contains(AccessFlag.PROTECTED);
    }

    /** What one side has and the other lacks, in words; empty when the two agree. */
    static List<String> differences(Set<String> skeleton, Set<String> reference) {
        List<String> out = new ArrayList<>();
        skeleton.stream().filter(m -> !reference.contains(m)).forEach(m -> out.add("only in the skeleton: " + m));
        reference.stream().filter(m -> !skeleton.contains(m)).forEach(m -> out.add("only in the reference: " + m));
        return out;
    }
}
