package parlab.stage3.memory;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;

/**
 * The child JVM of s3e06, run by {@link HeapLimitedRunner} with a small heap. Plumbing, not the lesson: it behaves
 * as its arguments say, so that the tests can see what the parent makes of each ending.
 * <pre>
 *   heap              prints "max-heap &lt;bytes&gt;" (Runtime.maxMemory()) and exits 0
 *   allocate &lt;mb&gt;     keeps mb arrays of 1 MB alive, prints "allocated &lt;mb&gt; MB", exits 0 (or runs out of heap)
 *   oom-in-thread     runs out of heap on a background thread; the main thread carries on and exits 0
 *   fail              throws an IllegalStateException from main (exit code 1)
 *   exit3             prints "fatal: bad configuration" on stderr and exits with 3, without any OutOfMemoryError
 *   noisy             writes 1 MB on stderr, then prints "done" and exits 0
 *   hang              never ends
 * </pre>
 */
public final class HungryChild {
    private HungryChild() {
    }

    private static List<byte[]> allocate(long megabytes) {
        List<byte[]> kept = new ArrayList<>();
        for (long i = 0; i < megabytes; i++) {
            kept.add(new byte[1 << 20]);
        }
        return kept;
    }

    public static void main(String[] args) throws InterruptedException {
        switch (args[0]) {
            case "heap" -> System.out.println("max-heap " + Runtime.getRuntime().maxMemory());
            case "allocate" -> {
                List<byte[]> kept = allocate(Long.parseLong(args[1]));
                System.out.println("allocated " + kept.size() + " MB");
            }
            case "oom-in-thread" -> {
                Thread hog = Thread.ofPlatform().name("hog").start(() -> allocate(Long.MAX_VALUE));
                hog.join();
                System.out.println("the main thread carries on as if nothing happened");
            }
            case "fail" -> throw new IllegalStateException("simulated failure, not a memory problem");
            case "exit3" -> {
                System.err.println("fatal: bad configuration");
                System.exit(3);
            }
            case "noisy" -> {
                String line = "noise ".repeat(20);
                for (int written = 0; written < 1 << 20; written += line.length() + 1) {
                    System.err.println(line);
                }
                System.out.println("done");
            }
            case "hang" -> new CountDownLatch(1).await();
            default -> throw new IllegalArgumentException("unknown mode " + args[0]);
        }
    }
}
