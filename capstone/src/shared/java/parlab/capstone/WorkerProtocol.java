package parlab.capstone;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The frames between the runner and a worker JVM, over the worker's stdin and stdout ({@link DataOutputStream}).
 * Each frame is one type byte and its fields. Only chunk ranges go to a worker (it maps the file itself), and only
 * partial aggregates and rejects come back: a few kilobytes per chunk whatever its size.
 * <pre>
 * to the worker:    'P' id:int start:long end:long      parse this chunk
 *                   'X'                                 exit (end of input means the same)
 * from the worker:  'H' pid:long                        hello, once, when the file is mapped
 *                   'B'                                 heartbeat, every heartbeat interval, even while parsing
 *                   'R' result                          a parsed chunk (see writeResult)
 *                   'F' id:int message:utf              parsing failed with an exception; the worker exits
 * </pre>
 */
public final class WorkerProtocol {
    public static final byte PARSE = 'P';
    public static final byte EXIT = 'X';
    public static final byte HELLO = 'H';
    public static final byte HEARTBEAT = 'B';
    public static final byte RESULT = 'R';
    public static final byte FAILED = 'F';

    /** A reject's text is cut to this many chars on the wire (3 bytes each at most in modified UTF-8). */
    private static final int MAX_RAW_CHARS = 20_000;

    private WorkerProtocol() {
    }

    public static void writeParse(DataOutputStream out, Chunk chunk) throws IOException {
        out.writeByte(PARSE);
        out.writeInt(chunk.id());
        out.writeLong(chunk.start());
        out.writeLong(chunk.end());
    }

    /** The fields of a {@link #PARSE} frame, its type byte already read. */
    public static Chunk readChunk(DataInputStream in) throws IOException {
        return new Chunk(in.readInt(), in.readLong(), in.readLong());
    }

    /** A {@link #RESULT} frame: the chunk, lines, rows, then the stations and the rejects, each count first. */
    public static void writeResult(DataOutputStream out, ChunkResult result) throws IOException {
        out.writeByte(RESULT);
        Chunk chunk = result.chunk();
        out.writeInt(chunk.id());
        out.writeLong(chunk.start());
        out.writeLong(chunk.end());
        out.writeLong(result.lines());
        out.writeLong(result.rows());
        out.writeInt(result.stations().size());
        for (Map.Entry<String, StationStats> e : result.stations().entrySet()) {
            StationStats s = e.getValue();
            out.writeUTF(e.getKey()); // modified UTF-8: any Java string, at most 65535 bytes (names are <= 100)
            out.writeInt(s.min());
            out.writeInt(s.max());
            out.writeLong(s.sum());
            out.writeLong(s.count());
        }
        out.writeInt(result.rejects().size());
        for (Reject r : result.rejects()) {
            out.writeLong(r.byteOffset());
            out.writeLong(r.lineInChunk());
            out.writeUTF(r.reason());
            // writeUTF takes at most 65535 bytes: a learner's parser may keep a whole long line
            out.writeUTF(r.raw().length() > MAX_RAW_CHARS ? r.raw().substring(0, MAX_RAW_CHARS) : r.raw());
        }
    }

    /** The fields of a {@link #RESULT} frame, its type byte already read. */
    public static ChunkResult readResult(DataInputStream in) throws IOException {
        Chunk chunk = readChunk(in);
        long lines = in.readLong();
        long rows = in.readLong();
        int stations = in.readInt();
        Map<String, StationStats> map = HashMap.newHashMap(stations);
        for (int i = 0; i < stations; i++) {
            map.put(in.readUTF(), new StationStats(in.readInt(), in.readInt(), in.readLong(), in.readLong()));
        }
        int count = in.readInt();
        List<Reject> rejects = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            rejects.add(new Reject(in.readLong(), in.readLong(), in.readUTF(), in.readUTF()));
        }
        return new ChunkResult(chunk, lines, rows, map, rejects);
    }
}
