package parlab.stage1.files;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import parlab.stage1.files.FileProcessing.Read;

/**
 * s1e05 · One big file: more workers, and buffered against memory-mapped reads.
 *
 * <p>Writes a 1BRC file of 3.5 million lines (about 60 MB, 1,000 stations, fixed seed) to a temporary file, then
 * times {@link FileProcessing#stations} with 1, 2 and 4 workers, each reading its range through a 64 KB buffer
 * ({@code BUFFERED}) or by mapping it ({@code MAPPED}). {@code ./lab bench file-processing} prints each time and the
 * speedup over 1 worker.
 *
 * <p>After the first iteration the file sits in the operating system's page cache, so this measures parsing, not
 * the disk: on 2 cores expect close to 2x for 2 workers and nothing more for 4. Buffered against mapped: a mapped
 * read skips the copy from the page cache into the buffer, but every call maps its range afresh and takes a page
 * fault per 4 KB page, and unmaps it again; the buffered read copies 64 KB at a time from memory that is already
 * there. Expect them within tens of per cent of each other, in either order depending on the machine. With the
 * file on a cold, slow disk the disk would set the pace, and neither more workers nor mapping would help much.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class FileProcessingBenchmark {
    @Param({"1", "2", "4"})
    public int workers;

    @Param({"BUFFERED", "MAPPED"})
    public Read read;

    private Path file;

    @Setup(Level.Trial)
    public void writeFile() throws IOException {
        file = Files.createTempFile("parlab-1brc-", ".txt");
        Measurements.write(file, 2025, 3_500_000, 1_000);
    }

    @TearDown(Level.Trial)
    public void deleteFile() throws IOException {
        Files.deleteIfExists(file);
    }

    @Benchmark
    public StationTable stations() throws IOException {
        return FileProcessing.stations(file, workers, read, Thread.ofPlatform().factory());
    }
}
