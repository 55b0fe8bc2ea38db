package parlab.capstone;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;

/**
 * The input file checked before anything else: it exists, is a readable regular file and is not empty. Its
 * identity (path, size, modification time) tells a restarted run whether the database's chunks belong to it.
 */
public record InputFile(Path path, long size, long modifiedMillis) {
    public static InputFile check(Path path) {
        BasicFileAttributes attributes;
        try {
            attributes = Files.readAttributes(path, BasicFileAttributes.class);
        } catch (java.nio.file.NoSuchFileException e) {
            throw new CapstoneException(ExitCode.INPUT_MISSING, "input file " + path + " does not exist; "
                    + "check the path, or make one with ./lab data --rows 1M --out " + path);
        } catch (IOException e) {
            throw new CapstoneException(ExitCode.INPUT_UNREADABLE, "cannot read input file " + path + ": " + e
                    + "; check its permissions");
        }
        if (!attributes.isRegularFile()) {
            throw new CapstoneException(ExitCode.INPUT_UNREADABLE, "input " + path
                    + " is not a regular file; pass a 1BRC text file to --input");
        }
        try (FileChannel ignored = FileChannel.open(path, StandardOpenOption.READ)) {
            // readable
        } catch (IOException | SecurityException e) {
            throw new CapstoneException(ExitCode.INPUT_UNREADABLE, "cannot read input file " + path + ": "
                    + e.getMessage() + "; check its permissions");
        }
        if (attributes.size() == 0) {
            throw new CapstoneException(ExitCode.INPUT_EMPTY, "input file " + path
                    + " is empty; nothing to aggregate");
        }
        return new InputFile(path.toAbsolutePath(), attributes.size(), attributes.lastModifiedTime().toMillis());
    }
}
