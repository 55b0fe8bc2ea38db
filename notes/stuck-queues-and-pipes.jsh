// Stuck queues and pipes — run with: jshell notes/stuck-queues-and-pipes.jsh
import java.nio.ByteBuffer;
import java.nio.channels.Pipe;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

void check(boolean ok, String message) { if (!ok) throw new AssertionError(message); }

// 1. Joining a producer before draining its queue: the producer waits in put() for room, the joiner waits for
//    the producer. (Python's "joining processes that use queues" trap, with threads.) A bounded join shows it;
//    draining first, then joining, ends it.
void joinBeforeDrain() throws InterruptedException {
    BlockingQueue<Integer> queue = new ArrayBlockingQueue<>(4);
    Thread producer = Thread.ofPlatform().name("producer").start(() -> {
        try { for (int i = 1; i <= 10; i++) queue.put(i); }
        catch (InterruptedException e) { Thread.currentThread().interrupt(); }
    });
    producer.join(200);                                      // never join() without a bound while you are the consumer
    check(producer.isAlive(), "10 items into a queue of 4 with nobody taking: the producer cannot finish");
    while (producer.getState() != Thread.State.WAITING) Thread.sleep(10);   // parked in put(), whatever the load
    check(queue.remainingCapacity() == 0, "it is stuck in put() on a full queue");
    System.out.println("joined before draining: after 200 ms the producer is still blocked, queue full (4 of 10)");

    var got = new ArrayList<Integer>();
    for (int i = 0; i < 10; i++) got.add(queue.take());      // drain first...
    producer.join();                                         // ...then join: it returns
    check(got.size() == 10 && !producer.isAlive(), "drain, then join: all 10 items, the producer ended");
    System.out.println("drained then joined: " + got);
}

// 2. A consumer that died: put() would wait forever. offer(timeout) turns "forever" into a decision.
void deadConsumer() throws InterruptedException {
    BlockingQueue<Integer> queue = new ArrayBlockingQueue<>(2);
    Thread consumer = Thread.ofPlatform().name("consumer")
            .uncaughtExceptionHandler((t, e) -> System.out.println("consumer died: " + e.getMessage()))   // set before start
            .start(() -> {
        try {
            queue.take();
            throw new IllegalStateException("consumer failed after one item");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    });
    int sent = 0;
    boolean gaveUp = false;
    for (int i = 1; i <= 10 && !gaveUp; i++) {
        boolean placed;
        while (!(placed = queue.offer(i, 50, TimeUnit.MILLISECONDS)) && consumer.isAlive()) { }   // no room: anybody taking?
        if (!placed) placed = queue.offer(i);               // it may have made room just before it died
        if (placed) sent++; else gaveUp = true;
    }
    consumer.join();
    check(gaveUp, "the producer noticed the dead consumer instead of blocking forever");
    check(sent == 3, "1 item taken + 2 in the full queue, then the producer stopped");
    System.out.println("dead consumer detected by offer(timeout) + isAlive(): producer stopped after " + sent + " items");
}

// 3. A producer that died before sending its poison pill: a consumer in take() would wait forever;
//    poll(timeout) plus a liveness check lets it end.
void deadProducer() throws InterruptedException {
    BlockingQueue<Integer> queue = new ArrayBlockingQueue<>(8);
    Thread producer = Thread.ofPlatform().name("producer")
            .uncaughtExceptionHandler((t, e) -> System.out.println("producer died: " + e.getMessage()))
            .start(() -> {
        for (int i = 1; i <= 3; i++) queue.add(i);
        throw new IllegalStateException("producer failed before its poison pill");
    });
    var received = new ArrayList<Integer>();
    while (true) {
        Integer item = queue.poll(50, TimeUnit.MILLISECONDS);
        if (item != null) { received.add(item); continue; }
        if (!producer.isAlive() && queue.isEmpty()) break;  // nobody left to put anything: stop waiting
    }
    producer.join();
    check(received.equals(List.of(1, 2, 3)), "every item the producer did put was consumed, then the consumer ended");
    System.out.println("dead producer detected by poll(timeout) + isAlive(): received " + received);
}

// 4. A full pipe. java.nio.channels.Pipe is an operating-system pipe (64 KiB on Linux): a writer with nobody
//    reading blocks once it is full, exactly like a child process whose stderr nobody drains.
void fullPipe() throws Exception {
    Pipe pipe = Pipe.open();
    var written = new AtomicLong();
    Thread writer = Thread.ofPlatform().name("writer").start(() -> {
        try (var sink = pipe.sink()) {
            ByteBuffer piece = ByteBuffer.allocate(4096);
            for (int i = 0; i < 256; i++) {                 // 1 MiB in all
                piece.clear();
                while (piece.hasRemaining()) sink.write(piece);
                written.addAndGet(4096);
            }
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    });
    writer.join(300);
    long stuckAt = written.get();
    check(writer.isAlive() && stuckAt < 1 << 20, "nobody reads: the writer is blocked before its 1 MiB");
    System.out.printf("pipe not drained: the writer blocked after %,d bytes%n", stuckAt);

    long drained = 0;                                      // now drain it (on this thread: the writer is the other one)
    try (var source = pipe.source()) {
        ByteBuffer buf = ByteBuffer.allocate(65_536);
        for (int n; (n = source.read(buf.clear())) >= 0; ) drained += n;   // -1 once the writer closed its end
    }
    writer.join();
    check(drained == 1 << 20, "once drained, all 1 MiB went through and the writer finished");
    System.out.printf("pipe drained: %,d bytes read, the writer ended%n", drained);
}

joinBeforeDrain();
deadConsumer();
deadProducer();
fullPipe();
/exit
