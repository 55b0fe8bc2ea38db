package parlab.stage2.workers;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.classfile.Attributes;
import java.lang.classfile.ClassFile;
import java.lang.classfile.ClassModel;
import java.lang.classfile.CodeElement;
import java.lang.classfile.CodeModel;
import java.lang.classfile.FieldModel;
import java.lang.classfile.Instruction;
import java.lang.classfile.Label;
import java.lang.classfile.MethodModel;
import java.lang.classfile.Opcode;
import java.lang.classfile.instruction.BranchInstruction;
import java.lang.classfile.instruction.ExceptionCatch;
import java.lang.classfile.instruction.FieldInstruction;
import java.lang.classfile.instruction.InvokeDynamicInstruction;
import java.lang.classfile.instruction.InvokeInstruction;
import java.lang.classfile.instruction.LabelTarget;
import java.lang.classfile.instruction.LookupSwitchInstruction;
import java.lang.classfile.instruction.MonitorInstruction;
import java.lang.classfile.instruction.TableSwitchInstruction;
import java.lang.constant.ClassDesc;
import java.lang.constant.DirectMethodHandleDesc;
import java.lang.reflect.AccessFlag;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * A deterministic check for the one race a model checker cannot see: a plain field that one thread writes and
 * another reads, with nothing between them.
 *
 * <p>Lincheck's model checker tries interleavings under sequential consistency, where every write is seen by the next
 * read on any thread. On that model, a {@code boolean paused} set by {@code pause()} and read by the worker's loop
 * behaves perfectly, so no interleaving fails. The Java memory model promises nothing of the kind: without
 * {@code volatile}, an atomic, or a lock taken on both sides, there is no happens-before edge, and the JIT may keep
 * the worker's read in a register for ever. Such a program also passes every test on a PC: the loop's other calls
 * happen to act as fences. So the rule is checked in the bytecode instead.
 *
 * <p>The rule: a field that is neither {@code final} nor {@code volatile}, that code reachable from the class's API
 * (its non-private methods, run by the callers' threads) and code reachable from the worker (the bodies of its
 * lambdas and method references, and its nested classes, run by the thread the class starts) both touch, one of
 * them writing it, must be read and written only while a lock is held: inside {@code synchronized}, or between a
 * {@code lock()} (or {@code tryLock()}, {@code lockInterruptibly()}) and its {@code unlock()}. A private method
 * called only while a lock is held counts as guarded. Which lock it is, is not checked: the rule catches a missing
 * lock, not a wrong one.
 */
final class SharedFields {
    private static final ClassDesc STAMPED_LOCK = ClassDesc.of("java.util.concurrent.locks.StampedLock");
    private static final Set<String> ACQUIRE = Set.of("lock", "lockInterruptibly", "tryLock");
    private static final Set<String> RELEASE = Set.of("unlock", "unlockRead", "unlockWrite");

    private SharedFields() {
    }

    /** One read or write of a candidate field, or one call of a method of the class, and whether a lock was held. */
    private record Access(String target, boolean write, boolean guarded) {
    }

    private static final class Method {
        final String key;
        final boolean api;
        final boolean sync;
        final List<Access> fields = new ArrayList<>();
        final List<Access> calls = new ArrayList<>();
        final Set<String> handles = new HashSet<>();
        /** The same, frozen once the method is scanned. */
        List<Access> fieldsUnlocked;
        List<Access> callsUnlocked;

        Method(String key, boolean api, boolean sync) {
            this.key = key;
            this.api = api;
            this.sync = sync;
        }
    }

    /**
     * The fields of {@code type} that its API and its worker share without {@code volatile}, an atomic or a lock, each
     * with a sentence that says where; empty if there is none.
     */
    static List<String> unguarded(Class<?> type) {
        ClassModel top = load(type, type.getName());
        String owner = top.thisClass().asInternalName();
        Set<String> candidates = new TreeSet<>();
        for (FieldModel field : top.fields()) {
            Set<AccessFlag> flags = field.flags().flags();
            if (!flags.contains(AccessFlag.STATIC) && !flags.contains(AccessFlag.FINAL)
                    && !flags.contains(AccessFlag.VOLATILE)) {
                candidates.add(field.fieldName().stringValue());
            }
        }
        Map<String, Method> methods = new HashMap<>();
        Set<String> workerRoots = new LinkedHashSet<>();
        List<ClassModel> classes = new ArrayList<>();
        classes.add(top);
        top.findAttribute(Attributes.nestMembers()).ifPresent(nest -> nest.nestMembers().forEach(member ->
                classes.add(load(type, member.asInternalName().replace('/', '.')))));
        for (ClassModel model : classes) {
            boolean isTop = model == top;
            for (MethodModel method : model.methods()) {
                String name = method.methodName().stringValue();
                if (name.equals("<init>") || name.equals("<clinit>") || method.code().isEmpty()) {
                    continue;
                }
                Set<AccessFlag> flags = method.flags().flags();
                String key = model.thisClass().asInternalName() + "." + name + method.methodType().stringValue();
                boolean api = isTop && !flags.contains(AccessFlag.PRIVATE) && !flags.contains(AccessFlag.SYNTHETIC)
                        && !flags.contains(AccessFlag.STATIC);
                Method m = new Method(key, api, flags.contains(AccessFlag.SYNCHRONIZED));
                scan(method.code().orElseThrow(), owner, candidates, m, m.sync ? 1 : 0);
                m.fieldsUnlocked = List.copyOf(m.fields);
                m.callsUnlocked = List.copyOf(m.calls);
                methods.put(key, m);
                if (!isTop) {
                    workerRoots.add(key); // a nested class's code runs wherever its object is handed: the worker
                }
                workerRoots.addAll(m.handles);
            }
        }
        Set<String> apiSide = reach(methods, methods.values().stream().filter(m -> m.api).map(m -> m.key).toList());
        Set<String> workerSide = reach(methods, workerRoots);
        Set<String> lockedOnly = calledOnlyUnderALock(methods);

        List<String> problems = new ArrayList<>();
        for (String field : candidates) {
            List<String> where = new ArrayList<>();
            boolean apiTouches = false;
            boolean workerTouches = false;
            boolean written = false;
            boolean unguarded = false;
            for (Method m : methods.values()) {
                boolean onApi = apiSide.contains(m.key);
                boolean onWorker = workerSide.contains(m.key);
                if (!onApi && !onWorker) {
                    continue;
                }
                for (Access access : m.fieldsUnlocked) {
                    if (!access.target().equals(field)) {
                        continue;
                    }
                    apiTouches |= onApi;
                    workerTouches |= onWorker;
                    written |= access.write();
                    boolean guarded = access.guarded() || m.sync || lockedOnly.contains(m.key);
                    if (!guarded) {
                        unguarded = true;
                        where.add((access.write() ? "written" : "read") + " in " + readable(m.key)
                                + (onApi && onWorker ? " (API and worker)" : onApi ? " (API)" : " (worker)"));
                    }
                }
            }
            if (apiTouches && workerTouches && written && unguarded) {
                problems.add("field '" + field + "' is shared by the callers' threads and the worker's thread, but is "
                        + "neither volatile nor an atomic, and is " + String.join(", ", new LinkedHashSet<>(where))
                        + " without a lock: the other thread may never see the change");
            }
        }
        return problems;
    }

    /** Methods reachable from {@code roots} through direct calls and method references. */
    private static Set<String> reach(Map<String, Method> methods, Iterable<String> roots) {
        Set<String> seen = new HashSet<>();
        Deque<String> todo = new ArrayDeque<>();
        roots.forEach(todo::add);
        while (!todo.isEmpty()) {
            String key = todo.pop();
            Method m = methods.get(key);
            if (m == null || !seen.add(key)) {
                continue;
            }
            m.callsUnlocked.forEach(call -> todo.push(call.target()));
        }
        return seen;
    }

    /** Private methods of the class that every caller calls while holding a lock (worked out to a fixed point). */
    private static Set<String> calledOnlyUnderALock(Map<String, Method> methods) {
        Set<String> locked = new HashSet<>();
        boolean changed = true;
        while (changed) {
            changed = false;
            for (Method callee : methods.values()) {
                if (callee.api || locked.contains(callee.key)) {
                    continue;
                }
                boolean called = false;
                boolean always = true;
                for (Method caller : methods.values()) {
                    for (Access call : caller.callsUnlocked) {
                        if (call.target().equals(callee.key)) {
                            called = true;
                            always &= call.guarded() || caller.sync || locked.contains(caller.key);
                        }
                    }
                }
                if (called && always) {
                    locked.add(callee.key);
                    changed = true;
                }
            }
        }
        return locked;
    }

    /**
     * Walks every path through {@code code}, counting the locks held at each instruction, then records each access to
     * a candidate field and each call to a method of the class with whether a lock was held there. Where paths meet,
     * the larger count wins: the check gives the benefit of the doubt.
     */
    private static void scan(CodeModel code, String owner, Set<String> candidates, Method into, int entryDepth) {
        List<CodeElement> elements = code.elementList();
        Map<Label, Integer> labels = new HashMap<>();
        List<ExceptionCatch> handlers = new ArrayList<>();
        for (int i = 0; i < elements.size(); i++) {
            if (elements.get(i) instanceof LabelTarget target) {
                labels.put(target.label(), i);
            } else if (elements.get(i) instanceof ExceptionCatch handler) {
                handlers.add(handler);
            }
        }
        int[] depth = new int[elements.size()];
        Arrays.fill(depth, -1);
        Deque<int[]> todo = new ArrayDeque<>();
        todo.push(new int[] {0, entryDepth});
        while (!todo.isEmpty()) {
            walk(elements, labels, depth, todo);
            for (ExceptionCatch handler : handlers) { // a handler starts with the locks held where its try block starts
                int start = depth[labels.get(handler.tryStart())];
                int target = labels.get(handler.handler());
                if (start >= 0 && depth[target] < start) {
                    todo.push(new int[] {target, start});
                } else if (depth[target] < 0) {
                    todo.push(new int[] {target, 0});
                }
            }
        }
        for (int i = 0; i < elements.size(); i++) {
            if (depth[i] < 0) {
                continue; // never reached
            }
            boolean guarded = depth[i] > 0;
            CodeElement element = elements.get(i);
            if (element instanceof InvokeInstruction invoke && invoke.owner().asInternalName().equals(owner)) {
                into.calls.add(new Access(owner + "." + invoke.name().stringValue() + invoke.type().stringValue(),
                        false, guarded));
            } else if (element instanceof InvokeDynamicInstruction indy) {
                for (var arg : indy.bootstrapArgs()) {
                    if (arg instanceof DirectMethodHandleDesc handle) {
                        into.handles.add(handle.owner().descriptorString().replaceAll("^L|;$", "") + "."
                                + handle.methodName() + handle.lookupDescriptor());
                    }
                }
            } else if (element instanceof FieldInstruction field && field.owner().asInternalName().equals(owner)
                    && candidates.contains(field.name().stringValue())
                    && (field.opcode() == Opcode.GETFIELD || field.opcode() == Opcode.PUTFIELD)) {
                into.fields.add(new Access(field.name().stringValue(), field.opcode() == Opcode.PUTFIELD, guarded));
            }
        }
    }

    /** Follows the paths queued in {@code todo}, raising {@code depth[i]} to the most locks held at element i. */
    private static void walk(List<CodeElement> elements, Map<Label, Integer> labels, int[] depth, Deque<int[]> todo) {
        while (!todo.isEmpty()) {
            int[] state = todo.pop();
            int i = state[0];
            int held = state[1];
            while (i < elements.size() && depth[i] < held) {
                depth[i] = held;
                CodeElement element = elements.get(i);
                if (element instanceof MonitorInstruction monitor) {
                    held = Math.max(0, held + (monitor.opcode() == Opcode.MONITORENTER ? 1 : -1));
                } else if (element instanceof InvokeInstruction invoke) {
                    String name = invoke.name().stringValue();
                    boolean stamped = invoke.owner().asSymbol().equals(STAMPED_LOCK);
                    if (ACQUIRE.contains(name) || stamped && (name.equals("readLock") || name.equals("writeLock"))) {
                        held++;
                    } else if (RELEASE.contains(name)) {
                        held = Math.max(0, held - 1);
                    }
                }
                if (element instanceof BranchInstruction branch) {
                    todo.push(new int[] {labels.get(branch.target()), held});
                    if (branch.opcode() == Opcode.GOTO || branch.opcode() == Opcode.GOTO_W) {
                        break;
                    }
                } else if (element instanceof TableSwitchInstruction table) {
                    int now = held;
                    todo.push(new int[] {labels.get(table.defaultTarget()), now});
                    table.cases().forEach(c -> todo.push(new int[] {labels.get(c.target()), now}));
                    break;
                } else if (element instanceof LookupSwitchInstruction lookup) {
                    int now = held;
                    todo.push(new int[] {labels.get(lookup.defaultTarget()), now});
                    lookup.cases().forEach(c -> todo.push(new int[] {labels.get(c.target()), now}));
                    break;
                } else if (element instanceof Instruction instruction && ENDS.contains(instruction.opcode())) {
                    break;
                }
                i++;
            }
        }
    }

    private static final Set<Opcode> ENDS = EnumSet.of(Opcode.RETURN, Opcode.IRETURN, Opcode.LRETURN,
            Opcode.FRETURN, Opcode.DRETURN, Opcode.ARETURN, Opcode.ATHROW);

    private static String readable(String key) {
        String method = key.substring(0, key.indexOf('('));
        String name = method.substring(method.lastIndexOf('/') + 1);
        return name.replace('$', '.') + "()";
    }

    private static ClassModel load(Class<?> anchor, String className) {
        String resource = "/" + className.replace('.', '/') + ".class";
        try (InputStream in = anchor.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("no class file for " + className);
            }
            return ClassFile.of().parse(in.readAllBytes());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
