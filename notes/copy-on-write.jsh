// Copy-on-write and read-only sharing — run with: jshell notes/copy-on-write.jsh
import java.util.ArrayList;
import java.util.ConcurrentModificationException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.AtomicReference;

void check(boolean ok, String message) { if (!ok) throw new AssertionError(message); }

// Start n platform threads running body(id) and wait for all of them.
void runThreads(int n, java.util.function.IntConsumer body) throws InterruptedException {
    var threads = new ArrayList<Thread>();
    for (int i = 0; i < n; i++) { int id = i; threads.add(Thread.ofPlatform().start(() -> body.accept(id))); }
    for (var t : threads) t.join();
}

// 1. Read-only data is shared for free: four threads read the same array, nobody copies, nobody locks.
//    (A forked Python worker would share these pages too, until reference counting writes to them.)
void shareReadOnly() throws InterruptedException {
    int[] table = new int[2_000_000];
    for (int i = 0; i < table.length; i++) table[i] = i % 1_000;
    var sums = new AtomicLongArray(4);
    var seen = new AtomicReference<int[]>();
    runThreads(4, id -> {
        if (id == 0) seen.set(table);
        long sum = 0;
        for (int i = id; i < table.length; i += 4) sum += table[i];
        sums.set(id, sum);
    });
    long total = 0;
    for (int i = 0; i < 4; i++) total += sums.get(i);
    check(seen.get() == table, "the threads read the very same array: no copy was made");
    check(total == 2_000L * (999 * 1_000 / 2), "their partial sums add up to the whole");
    System.out.printf("4 threads read one 8 MB array in place: sum %,d%n", total);
}

// 2. CopyOnWriteArrayList: every write copies the array; every iterator walks the snapshot it started on.
void copyOnWriteList() {
    var plain = new ArrayList<>(List.of("a", "b", "c"));
    boolean failed = false;
    try { for (String s : plain) if (s.equals("a")) plain.add("d"); }
    catch (ConcurrentModificationException e) { failed = true; }
    check(failed, "an ArrayList refuses to be changed while it is iterated");

    var cow = new CopyOnWriteArrayList<>(List.of("a", "b", "c"));
    var it = cow.iterator();                 // a snapshot of [a, b, c]
    cow.add("d");                            // copies the array; the iterator keeps the old one
    int n = 0;
    while (it.hasNext()) { it.next(); n++; }
    check(n == 3 && cow.size() == 4, "the iterator saw its snapshot (3), the list has the new element (4)");
    System.out.println("CopyOnWriteArrayList: iterator saw 3 elements, list now " + cow);
}

// 3. An immutable snapshot swapped atomically: readers keep the version they took, writers publish a new one.
void snapshots() throws InterruptedException {
    var config = new AtomicReference<List<String>>(List.of("host=a"));
    List<String> readerView = config.get();                  // a reader takes the current version
    runThreads(4, id -> {
        for (int i = 0; i < 250; i++) {
            String entry = "w" + id + "-" + i;
            config.updateAndGet(old -> {                     // copy, change the copy, publish it (retried on conflict)
                var next = new ArrayList<>(old);
                next.add(entry);
                return List.copyOf(next);
            });
        }
    });
    check(readerView.equals(List.of("host=a")), "the old snapshot never changed under its reader");
    check(config.get().size() == 1_001, "no writer's update was lost");
    boolean refused = false;
    try { config.get().add("x"); } catch (UnsupportedOperationException e) { refused = true; }
    check(refused, "a List.copyOf snapshot cannot be changed by anyone");
    System.out.printf("snapshots: reader still sees %s, current version has %,d entries%n", readerView, config.get().size());
}

// 4. A persistent list: a new version shares everything it did not change with the old one.
record Cons(int head, Cons tail) {
    static Cons of(int... xs) { Cons c = null; for (int i = xs.length - 1; i >= 0; i--) c = new Cons(xs[i], c); return c; }
    int size() { return tail == null ? 1 : 1 + tail.size(); }
}

void persistent() {
    Cons v1 = Cons.of(2, 3, 4);
    Cons v2 = new Cons(1, v1);               // "add at the front": one new node, nothing copied
    Cons v3 = new Cons(9, v1.tail());        // "replace the head": one new node, shares [3, 4]
    check(v1.size() == 3 && v2.size() == 4 && v3.size() == 3, "every version is complete");
    check(v2.tail() == v1 && v3.tail() == v1.tail(), "versions share their unchanged parts by reference");
    System.out.println("persistent list: 3 versions, 5 nodes in all, none copied");
}

shareReadOnly();
copyOnWriteList();
snapshots();
persistent();
/exit
