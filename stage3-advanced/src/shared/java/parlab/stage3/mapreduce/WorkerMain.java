package parlab.stage3.mapreduce;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.zeromq.SocketType;
import org.zeromq.ZContext;
import org.zeromq.ZMQ;

/**
 * A worker process: connects a DEALER socket to the job manager's ROUTER, says {@code READY}, then runs whatever
 * task it is sent ({@link Shuffle#map} or {@link Shuffle#reduce}) and answers {@code DONE} or {@code FAILED}, until it
 * is told {@code EXIT}. It also leaves on its own when its parent process is gone, so that a crashed manager leaves
 * no orphan behind.
 *
 * <p>The protocol, one tab-separated text frame per message (the ROUTER adds and strips the worker's identity):
 * <pre>
 *   worker  -> manager   READY
 *                        DONE    MAP|REDUCE  id
 *                        FAILED  MAP|REDUCE  id  message
 *   manager -> worker    MAP     id  reducers  workDir  inputFile
 *                        REDUCE  id  maps      workDir
 *                        EXIT
 * </pre>
 *
 * <p>Shared plumbing: {@code ./lab} and Maven compile it with either side.
 */
public final class WorkerMain {
    public static final String READY = "READY";
    public static final String DONE = "DONE";
    public static final String FAILED = "FAILED";
    public static final String EXIT = "EXIT";
    private static final int POLL_MILLIS = 200;

    private WorkerMain() {
    }

    /** The command that starts worker {@code name}, connecting to {@code endpoint}, in a small child JVM. */
    public static List<String> command(String endpoint, String name, Duration mapDelay) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(List.of("-Xmx64m", "-XX:TieredStopAtLevel=1", "-Xshare:auto", "-XX:+UseSerialGC"));
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(WorkerMain.class.getName());
        command.add(endpoint);
        command.add(name);
        command.add(Long.toString(mapDelay.toMillis()));
        return command;
    }

    /** The message that sends {@code task} to a worker. */
    public static String taskMessage(Task task, int reducers, int maps, Path workDir, List<Path> inputs) {
        return switch (task.kind()) {
            case MAP -> String.join("\t", "MAP", Integer.toString(task.id()), Integer.toString(reducers),
                    workDir.toString(), inputs.get(task.id()).toString());
            case REDUCE -> String.join("\t", "REDUCE", Integer.toString(task.id()), Integer.toString(maps),
                    workDir.toString());
        };
    }

    public static void main(String[] args) throws Exception {
        String endpoint = args[0];
        String name = args[1];
        long mapDelayMillis = Long.parseLong(args[2]);
        try (ZContext context = new ZContext()) {
            ZMQ.Socket socket = context.createSocket(SocketType.DEALER);
            socket.setIdentity(name.getBytes(StandardCharsets.UTF_8));
            socket.setLinger(1000);
            socket.setReceiveTimeOut(POLL_MILLIS);
            socket.connect(endpoint);
            socket.send(READY);
            while (true) {
                String message = socket.recvStr();
                if (message == null) {
                    if (!parentAlive()) {
                        System.err.println("worker " + name + ": the job manager is gone, leaving");
                        break;
                    }
                    continue;
                }
                String[] fields = message.split("\t");
                if (fields[0].equals(EXIT)) {
                    break;
                }
                Task task = new Task(Task.Kind.valueOf(fields[0]), Integer.parseInt(fields[1]));
                try {
                    if (task.kind() == Task.Kind.MAP) {
                        Thread.sleep(mapDelayMillis);
                        Shuffle.map(task.id(), Path.of(fields[4]), Integer.parseInt(fields[2]), Path.of(fields[3]));
                    } else {
                        Shuffle.reduce(task.id(), Integer.parseInt(fields[2]), Path.of(fields[3]));
                    }
                    socket.send(DONE + "\t" + task.kind() + "\t" + task.id());
                } catch (Exception e) {
                    String why = (e.getClass().getName() + ": " + e.getMessage()).replace('\t', ' ').replace('\n', ' ');
                    socket.send(FAILED + "\t" + task.kind() + "\t" + task.id() + "\t" + why);
                }
            }
        }
        System.exit(0);
    }

    private static boolean parentAlive() {
        return ProcessHandle.current().parent().map(ProcessHandle::isAlive).orElse(false);
    }
}
