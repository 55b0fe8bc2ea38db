package parlab.capstone;

/**
 * A line that is not {@code <station>;<temperature>}: where it starts in the file ({@code byteOffset}), its place
 * among the lines of its chunk ({@code lineInChunk}, from 0; the file's line number needs the line counts of the
 * chunks before it), why it was refused, and its text (invalid UTF-8 replaced by U+FFFD, without the line break).
 */
public record Reject(long byteOffset, long lineInChunk, String reason, String raw) {
}
