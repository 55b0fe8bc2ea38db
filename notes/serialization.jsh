// Serialization costs — run with: jshell notes/serialization.jsh
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.NotSerializableException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.ObjectStreamClass;
import java.io.Serializable;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;

void check(boolean ok, String message) { if (!ok) throw new AssertionError(message); }

// The message: a record of a few fields. Records serialize through their canonical constructor.
record Trade(long id, double price, int quantity, String symbol) implements Serializable {}

List<Trade> trades(int n) {
    var list = new ArrayList<Trade>();
    String[] symbols = {"ACME", "GLOBEX", "INITECH", "UMBRELLA"};
    for (int i = 0; i < n; i++) list.add(new Trade(i, 100 + (i % 997) / 4.0, 1 + i % 50, symbols[i % symbols.length]));
    return list;
}

// 1. Java serialization: one call each way, any Serializable graph, and a lot of bytes per object.
byte[] javaSerialize(Object o) throws IOException {
    var bytes = new ByteArrayOutputStream();
    try (var out = new ObjectOutputStream(bytes)) { out.writeObject(o); }
    return bytes.toByteArray();
}

Object javaDeserialize(byte[] data) throws Exception {
    ClassLoader loader = Trade.class.getClassLoader();          // JShell's own class loader knows the record
    try (var in = new ObjectInputStream(new ByteArrayInputStream(data)) {
        @Override protected Class<?> resolveClass(ObjectStreamClass d) throws IOException, ClassNotFoundException {
            try { return Class.forName(d.getName(), false, loader); } catch (ClassNotFoundException e) { return super.resolveClass(d); }
        }
    }) {
        in.setObjectInputFilter(java.io.ObjectInputFilter.Config.createFilter("maxdepth=5;maxarray=100000;!*$Lambda*"));
        return in.readObject();
    }
}

// 2. A compact hand encoding: the fields, one after the other, nothing else. Both ends agree on the order.
byte[] handEncode(List<Trade> list) throws IOException {
    var bytes = new ByteArrayOutputStream();
    try (var out = new DataOutputStream(bytes)) {
        out.writeInt(list.size());
        for (var t : list) { out.writeLong(t.id()); out.writeDouble(t.price()); out.writeInt(t.quantity()); out.writeUTF(t.symbol()); }
    }
    return bytes.toByteArray();
}

List<Trade> handDecode(byte[] data) throws IOException {
    var in = new DataInputStream(new ByteArrayInputStream(data));
    int n = in.readInt();
    var list = new ArrayList<Trade>(n);
    for (int i = 0; i < n; i++) list.add(new Trade(in.readLong(), in.readDouble(), in.readInt(), in.readUTF()));
    return list;
}

// 3. A fixed binary layout: every record takes 32 bytes (the symbol padded to 12), so record i is at i * 32.
//    A reader can jump to one record without decoding the others: send the index, not the data.
static final int RECORD = 8 + 8 + 4 + 12;

ByteBuffer fixedLayout(List<Trade> list) {
    ByteBuffer buf = ByteBuffer.allocate(list.size() * RECORD);
    for (var t : list) {
        byte[] sym = t.symbol().getBytes(StandardCharsets.US_ASCII);
        buf.putLong(t.id()).putDouble(t.price()).putInt(t.quantity()).put(sym).put(new byte[12 - sym.length]);
    }
    return buf.flip();
}

Trade readRecord(ByteBuffer buf, int index) {
    int at = index * RECORD;
    byte[] sym = new byte[12];
    buf.get(at + 20, sym);
    int len = 0;
    while (len < 12 && sym[len] != 0) len++;
    return new Trade(buf.getLong(at), buf.getDouble(at + 8), buf.getInt(at + 16), new String(sym, 0, len, StandardCharsets.US_ASCII));
}

void compareEncodings() throws Exception {
    List<Trade> original = trades(10_000);
    long t0 = System.nanoTime();
    byte[] javaBytes = javaSerialize(new ArrayList<>(original));
    Object back = javaDeserialize(javaBytes);
    long t1 = System.nanoTime();
    byte[] handBytes = handEncode(original);
    List<Trade> handBack = handDecode(handBytes);
    long t2 = System.nanoTime();
    ByteBuffer fixed = fixedLayout(original);
    Trade one = readRecord(fixed, 1_234);
    long t3 = System.nanoTime();
    check(back.equals(original), "Java serialization round trip");
    check(handBack.equals(original), "hand encoding round trip");
    check(one.equals(original.get(1_234)), "fixed layout: record 1,234 read directly at its offset");
    check(fixed.limit() == 10_000 * RECORD, "fixed layout: exactly 32 bytes per record");
    check(handBytes.length < javaBytes.length, "the hand encoding is smaller than Java serialization");
    byte[] oneJava = javaSerialize(original.get(0)), oneHand = handEncode(List.of(original.get(0)));
    check(oneHand.length < oneJava.length, "for one small object, the class description dominates Java serialization");
    System.out.printf("one trade: Java serialization %d bytes, hand encoding %d bytes%n", oneJava.length, oneHand.length);
    System.out.printf("10,000 trades: Java serialization %,d bytes (%.1f ms), hand encoding %,d bytes (%.1f ms), fixed layout %,d bytes (%.1f ms)%n",
            javaBytes.length, (t1 - t0) / 1e6, handBytes.length, (t2 - t1) / 1e6, fixed.limit(), (t3 - t2) / 1e6);
}

// 4. What cannot be serialized: a plain lambda, and anything holding an open resource.
String refusal(Object o) {
    try {
        javaSerialize(o);
        return null;
    } catch (NotSerializableException e) {
        return e.getMessage();                                   // names the class that is not Serializable
    } catch (IOException e) {
        return e.toString();
    }
}

void refusals() throws IOException {
    Runnable task = () -> System.out.println("hi");
    String lambda = refusal(task);
    check(lambda != null, "a lambda is not serializable unless its target type is");
    var file = Files.createTempFile("parlab", ".txt");
    try (var stream = Files.newInputStream(file)) {
        String resource = refusal(List.of("name", stream));
        check(resource != null, "an open stream cannot be serialized");
        System.out.println("refused: lambda (" + lambda + "), open stream (" + resource + ")");
    } finally {
        Files.delete(file);
    }
}

compareEncodings();
refusals();
/exit
