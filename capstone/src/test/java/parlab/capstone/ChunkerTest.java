package parlab.capstone;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Milestone 1: {@link Chunker} cuts at line boundaries, covers every byte once, and works past 2 GB. */
class ChunkerTest {
    @TempDir
    Path dir;

    /** Checks the contract on {@code file} and returns the chunks. */
    static List<Chunk> checkedSplit(MemorySegment file, long chunkSize) {
        List<Chunk> chunks = Chunker.split(file, chunkSize);
        long size = file.byteSize();
        long expectedStart = 0;
        for (int i = 0; i < chunks.size(); i++) {
            Chunk c = chunks.get(i);
            assertThat(c.id()).as("chunk ids are 0, 1, 2, ... in file order").isEqualTo(i);
            assertThat(c.start()).as("chunk %d starts where chunk %d ends (no gap, no overlap)", i, i - 1)
                    .isEqualTo(expectedStart);
            assertThat(c.end()).as("chunk %d is not empty", i).isGreaterThan(c.start());
            boolean last = i == chunks.size() - 1;
            if (!last) {
                assertThat(file.get(ValueLayout.JAVA_BYTE, c.end() - 1))
                        .as("chunk %d %s ends just after a line break, so no line is split", i, c)
                        .isEqualTo((byte) '\n');
                assertThat(c.size()).as("chunk %d %s is at least the chunk size %d (only the last may be smaller)",
                        i, c, chunkSize).isGreaterThanOrEqualTo(chunkSize);
                long lineBreaks = 0;
                for (long p = c.start() + chunkSize - 1; p < c.end(); p++) {
                    if (file.get(ValueLayout.JAVA_BYTE, p) == '\n') {
                        lineBreaks++;
                    }
                }
                assertThat(lineBreaks).as("chunk %d %s ends at the FIRST line break at or after start + chunk size"
                        + " (not later)", i, c).isEqualTo(1);
            }
            expectedStart = c.end();
        }
        assertThat(expectedStart).as("the chunks cover the whole file of %d bytes", size).isEqualTo(size);
        return chunks;
    }

    @ParameterizedTest(name = "chunk size {0}")
    @ValueSource(longs = {1, 7, 64, 1000, 100_000, 10_000_000})
    void chunksEndAtLineBreaksAndCoverTheFile(long chunkSize) throws Exception {
        Path file = Fixtures.generate(dir, 5_000, 3, 50);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment segment = Fixtures.map(file, arena);
            List<Chunk> chunks = checkedSplit(segment, chunkSize);
            assertThat(Chunker.split(segment, chunkSize)).as("the same file and chunk size always give the same "
                    + "chunks (a restarted run relies on it)").isEqualTo(chunks);
            if (chunkSize >= segment.byteSize()) {
                assertThat(chunks).as("a chunk size over the file size gives one chunk").hasSize(1);
            }
        }
    }

    @Test
    void edgeCasesOfTheFile() {
        try (Arena arena = Arena.ofConfined()) {
            assertThat(Chunker.split(Fixtures.bytes("", arena), 10)).as("an empty file has no chunk").isEmpty();
            assertThat(checkedSplit(Fixtures.bytes("a;1.0", arena), 2))
                    .as("a file without a final line break: the last chunk ends at the end of the file")
                    .containsExactly(new Chunk(0, 0, 5));
            assertThat(checkedSplit(Fixtures.bytes("a;1.0\nb;2.0\n", arena), 6))
                    .as("a line break exactly at start + chunk size - 1 ends the chunk there")
                    .containsExactly(new Chunk(0, 0, 6), new Chunk(1, 6, 12));
            assertThat(checkedSplit(Fixtures.bytes("\n\n\n", arena), 1)).as("one chunk per empty line")
                    .hasSize(3);
        }
    }

    /** A sparse file of 3 GB with a few lines past 2 GB: positions are longs, the mapping a MemorySegment. */
    @Test
    void filesOver2GbAreCut() throws IOException {
        Path file = dir.resolve("big.txt");
        long gb = 1L << 30;
        try (FileChannel out = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE,
                StandardOpenOption.SPARSE)) {
            for (long at : new long[] {gb - 1, 2 * gb + 100, 3 * gb - 6}) {
                out.write(ByteBuffer.wrap("x;1.0\n".getBytes(StandardCharsets.US_ASCII)), at);
            }
        }
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment segment = Fixtures.map(file, arena);
            assertThat(segment.byteSize()).isEqualTo(3 * gb);
            List<Chunk> chunks = Chunker.split(segment, gb);
            assertThat(chunks).as("3 GB in chunks of 1 GB, cut after the line breaks at 1 GB + 4 and 2 GB + 105")
                    .containsExactly(new Chunk(0, 0, gb + 5), new Chunk(1, gb + 5, 2 * gb + 106),
                            new Chunk(2, 2 * gb + 106, 3 * gb));
        }
    }
}
