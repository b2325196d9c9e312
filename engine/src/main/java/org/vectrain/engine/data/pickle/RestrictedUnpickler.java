package org.vectrain.engine.data.pickle;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.vectrain.engine.InputException;
import org.vectrain.engine.MemoryBudget;
import org.vectrain.engine.data.pickle.OpcodeStream.Instruction;

/**
 * Reads a pickle of protocol 2 to 5 that holds plain data and numpy arrays, refusing everything else.
 *
 * <p>Two passes. The first decodes every opcode without building anything and refuses any opcode,
 * GLOBAL name or length that is not acceptable, so a hostile file is turned away before a single
 * value exists. The second runs a stack machine over the same opcodes with inert Java values:
 *
 * <table>
 *   <caption>Python values and what they become</caption>
 *   <tr><td>int, bool, None</td><td>{@link Long}, {@link Boolean}, an internal token</td></tr>
 *   <tr><td>bytes, bytearray, Python 2 str</td><td>{@link PyBytes}</td></tr>
 *   <tr><td>str (unicode)</td><td>{@link String}</td></tr>
 *   <tr><td>list, dict, tuple</td><td>{@link List}, {@link Map}, an internal immutable tuple</td></tr>
 *   <tr><td>numpy.ndarray</td><td>{@link NumpyArray}</td></tr>
 * </table>
 *
 * <p>STACK_GLOBAL takes its names from the stack, so it is checked in the second pass, again before
 * anything is pushed. REDUCE and BUILD are accepted only on the {@link PythonGlobal}s and the values
 * they make. Every problem is an {@link InputException} that names the source, the opcode or global,
 * and its byte offset.
 */
public final class RestrictedUnpickler {
    /** Largest file read; an official batch is about 31 MB, so this leaves room without trusting the file. */
    public static final long MAX_FILE_BYTES = 256L << 20;
    /** Most values a pickle may push; a batch of 10,000 images pushes about 30,000. */
    static final int MAX_VALUES = 2_000_000;
    /** Most dimensions of an array; numpy itself allows 64. */
    static final int MAX_DIMENSIONS = 32;
    /** Longest dtype type code accepted, enough for any plain numpy type such as {@code u1} or {@code <f8}. */
    static final int MAX_DESCR = 16;

    private final OpcodeStream ops;
    private final List<Object> stack = new ArrayList<>();
    /** Stack heights at each open MARK; values below the innermost one belong to the enclosing level. */
    private final Deque<Integer> marks = new ArrayDeque<>();
    private final Map<Long, Object> memo = new HashMap<>();
    private int pushed;

    private RestrictedUnpickler(byte[] pickle, String source) {
        this.ops = new OpcodeStream(pickle, source);
    }

    /** Reads the pickle in {@code file}; the file path names it in messages. */
    public static Object load(Path file) {
        return load(file, MAX_FILE_BYTES, "one pickled batch");
    }

    /**
     * Reads the pickle in {@code file}, refusing it before it is read when it is larger than
     * {@code maxBytes}, the most that {@code what} (e.g. "a meta file") can need.
     */
    public static Object load(Path file, long maxBytes, String what) {
        if (Files.isDirectory(file)) {
            throw new InputException(file + ": is a folder, expected a pickle file");
        }
        try {
            long size = Files.size(file);
            if (size > maxBytes) {
                throw new InputException(file + ": " + size + " bytes is more than the " + maxBytes
                        + " accepted for " + what);
            }
            // The file's bytes, and the values made from them (at most as many again for a batch's pixels).
            MemoryBudget.require(2 * size, file.toString());
            return load(Files.readAllBytes(file), file.toString());
        } catch (NoSuchFileException e) {
            throw new InputException(file + ": file not found");
        } catch (IOException e) {
            throw new InputException(file + ": cannot read (" + e.getMessage() + ")", e);
        }
    }

    /**
     * Reads one pickle that fills {@code pickle} exactly.
     *
     * @param source names the pickle in messages, usually its file path
     * @return the root value, typed as in the class comment
     */
    public static Object load(byte[] pickle, String source) {
        checkHeader(pickle, source);
        scan(pickle, source);
        return new RestrictedUnpickler(pickle, source).run();
    }

    /** The Python type name of a value this class returns, for messages. */
    public static String typeName(Object value) {
        if (value instanceof Long) {
            return "int";
        } else if (value instanceof Boolean) {
            return "bool";
        } else if (value instanceof PyNone) {
            return "None";
        } else if (value instanceof PyBytes) {
            return "bytes";
        } else if (value instanceof String) {
            return "str";
        } else if (value instanceof List) {
            return "list";
        } else if (value instanceof Map) {
            return "dict";
        } else if (value instanceof PyTuple) {
            return "tuple";
        } else if (value instanceof NumpyArray) {
            return "numpy array";
        } else if (value instanceof NumpyDtype) {
            return "numpy dtype";
        } else if (value instanceof PythonGlobal global) {
            return "global '" + global.spelling() + "'";
        }
        return value.getClass().getSimpleName();
    }

    /** Text from a file made safe for a one-line message: control bytes escaped, long text cut. */
    static String printable(String text) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < text.length() && out.length() < 80; i++) {
            char c = text.charAt(i);
            if (c >= 0x20 && c < 0x7f) {
                out.append(c);
            } else {
                out.append(String.format("\\x%02x", (int) c & 0xFF));
            }
        }
        return out.length() < 80 ? out.toString() : out + "...";
    }

    private static void checkHeader(byte[] pickle, String source) {
        if (pickle.length == 0) {
            throw new InputException(source + ": file is empty, expected a pickle");
        }
        if ((pickle[0] & 0xFF) != Opcode.PROTO.code) {
            throw new InputException(source + String.format(": not a pickle of protocol 2 or later (it starts with"
                    + " byte 0x%02x, expected 0x80)", pickle[0] & 0xFF));
        }
        if (pickle.length < 2) {
            throw new InputException(source + ": truncated pickle (1 byte)");
        }
        int protocol = pickle[1] & 0xFF;
        if (protocol < 2 || protocol > 5) {
            throw new InputException(source + ": pickle protocol " + protocol + " is not supported (2 to 5 are)");
        }
    }

    /** First pass: decode every opcode, refuse what is not accepted, build nothing. */
    private static void scan(byte[] pickle, String source) {
        OpcodeStream scanner = new OpcodeStream(pickle, source);
        scanner.next();
        while (true) {
            Instruction in = scanner.next();
            switch (in.opcode()) {
                case PROTO:
                    throw scanner.error("PROTO at byte " + in.offset()
                            + ": a protocol marker may only start the pickle");
                case GLOBAL:
                    checkGlobal(scanner, in, in.module(), in.name());
                    break;
                case STOP:
                    if (scanner.position() != pickle.length) {
                        throw scanner.error((pickle.length - scanner.position())
                                + " bytes follow the STOP opcode at byte " + in.offset() + " (not a single pickle)");
                    }
                    return;
                default:
                    break;
            }
        }
    }

    private static PythonGlobal checkGlobal(OpcodeStream stream, Instruction in, String module, String name) {
        PythonGlobal global = PythonGlobal.find(module, name);
        if (global == null) {
            throw stream.error(in.opcode().name() + " '" + printable(module) + " " + printable(name) + "' at byte "
                    + in.offset() + " is not allowed: only numpy array reconstruction is read");
        }
        return global;
    }

    /** Second pass: the stack machine. The first pass has already vetted every opcode and length. */
    private Object run() {
        ops.next();
        while (true) {
            Instruction in = ops.next();
            switch (in.opcode()) {
                case FRAME:
                    // Frames only group opcodes for buffered reading; the file is in memory already.
                    break;
                case STOP:
                    Object result = pop(in);
                    if (!stack.isEmpty() || !marks.isEmpty()) {
                        throw error(in, "leaves " + stack.size() + " values and " + marks.size()
                                + " marks behind (corrupt pickle)");
                    }
                    return result;
                case MARK:
                    marks.push(stack.size());
                    break;
                case EMPTY_DICT:
                    push(in, new LinkedHashMap<Object, Object>());
                    break;
                case EMPTY_LIST:
                    push(in, new ArrayList<Object>());
                    break;
                case EMPTY_TUPLE:
                    push(in, new PyTuple(List.of()));
                    break;
                case TUPLE:
                    push(in, new PyTuple(popToMark(in)));
                    break;
                case TUPLE1:
                case TUPLE2:
                case TUPLE3:
                    push(in, new PyTuple(popItems(in, in.opcode().ordinal() - Opcode.TUPLE1.ordinal() + 1)));
                    break;
                case APPEND:
                    Object item = pop(in);
                    list(in).add(item);
                    break;
                case APPENDS:
                    List<Object> items = popToMark(in);
                    list(in).addAll(items);
                    break;
                case SETITEM:
                    setItems(in, popItems(in, 2));
                    break;
                case SETITEMS:
                    setItems(in, popToMark(in));
                    break;
                case BINPUT:
                case LONG_BINPUT:
                    memo.put(in.number(), peek(in));
                    break;
                case MEMOIZE:
                    memo.put((long) memo.size(), peek(in));
                    break;
                case BINGET:
                case LONG_BINGET:
                    push(in, memoGet(in));
                    break;
                case BININT:
                case BININT1:
                case BININT2:
                case LONG1:
                    push(in, in.number());
                    break;
                case NONE:
                    push(in, PyNone.NONE);
                    break;
                case NEWTRUE:
                    push(in, Boolean.TRUE);
                    break;
                case NEWFALSE:
                    push(in, Boolean.FALSE);
                    break;
                case SHORT_BINSTRING:
                case BINSTRING:
                case SHORT_BINBYTES:
                case BINBYTES:
                case BINBYTES8:
                case BYTEARRAY8:
                    push(in, new PyBytes(ops.payload(in)));
                    break;
                case SHORT_BINUNICODE:
                case BINUNICODE:
                case BINUNICODE8:
                    push(in, utf8(in));
                    break;
                case GLOBAL:
                    push(in, checkGlobal(ops, in, in.module(), in.name()));
                    break;
                case STACK_GLOBAL:
                    push(in, stackGlobal(in));
                    break;
                case REDUCE:
                    push(in, reduce(in));
                    break;
                case BUILD:
                    build(in);
                    break;
                default:
                    // The first pass refused every other opcode; reaching here is a bug in this class.
                    throw new IllegalStateException("opcode " + in.opcode() + " passed the scan but has no meaning");
            }
        }
    }

    private InputException error(Instruction in, String what) {
        return ops.error(in.opcode().name() + " at byte " + in.offset() + " " + what);
    }

    private void push(Instruction in, Object value) {
        if (++pushed > MAX_VALUES) {
            throw error(in, "pushes more than " + MAX_VALUES + " values, far more than a CIFAR-10 batch holds");
        }
        stack.add(value);
    }

    /** Lowest stack index that the current MARK level may touch. */
    private int floor() {
        return marks.isEmpty() ? 0 : marks.peek();
    }

    private Object pop(Instruction in) {
        if (stack.size() <= floor()) {
            throw error(in, "finds no value on the stack (corrupt pickle)");
        }
        return stack.remove(stack.size() - 1);
    }

    private Object peek(Instruction in) {
        if (stack.size() <= floor()) {
            throw error(in, "finds no value on the stack (corrupt pickle)");
        }
        return stack.get(stack.size() - 1);
    }

    private List<Object> popItems(Instruction in, int count) {
        if (stack.size() - floor() < count) {
            throw error(in, "needs " + count + " values but the stack holds " + (stack.size() - floor())
                    + " (corrupt pickle)");
        }
        List<Object> top = stack.subList(stack.size() - count, stack.size());
        List<Object> items = new ArrayList<>(top);
        top.clear();
        return items;
    }

    private List<Object> popToMark(Instruction in) {
        if (marks.isEmpty()) {
            throw error(in, "has no MARK to collect values from (corrupt pickle)");
        }
        int mark = marks.pop();
        List<Object> top = stack.subList(mark, stack.size());
        List<Object> items = new ArrayList<>(top);
        top.clear();
        return items;
    }

    @SuppressWarnings("unchecked")
    private List<Object> list(Instruction in) {
        Object target = peek(in);
        if (!(target instanceof List)) {
            throw error(in, "appends to a " + typeName(target) + ", expected a list");
        }
        return (List<Object>) target;
    }

    @SuppressWarnings("unchecked")
    private void setItems(Instruction in, List<Object> keysAndValues) {
        Object target = peek(in);
        if (!(target instanceof Map)) {
            throw error(in, "sets items on a " + typeName(target) + ", expected a dict");
        }
        if (keysAndValues.size() % 2 != 0) {
            throw error(in, "has an odd number of keys and values (corrupt pickle)");
        }
        Map<Object, Object> dict = (Map<Object, Object>) target;
        for (int i = 0; i < keysAndValues.size(); i += 2) {
            Object key = keysAndValues.get(i);
            if (!(key instanceof PyBytes || key instanceof String || key instanceof Long)) {
                throw error(in, "uses a " + typeName(key) + " as a dict key; only bytes, str and int are read");
            }
            dict.put(key, keysAndValues.get(i + 1));
        }
    }

    private Object memoGet(Instruction in) {
        Object value = memo.get(in.number());
        if (value == null) {
            throw error(in, "refers to memo entry " + in.number() + ", which was never stored (corrupt pickle)");
        }
        return value;
    }

    private String utf8(Instruction in) {
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(ops.payload(in)))
                    .toString();
        } catch (CharacterCodingException e) {
            throw error(in, "holds text that is not valid UTF-8 (corrupt pickle)");
        }
    }

    private PythonGlobal stackGlobal(Instruction in) {
        Object name = pop(in);
        Object module = pop(in);
        if (!(module instanceof String moduleName) || !(name instanceof String globalName)) {
            throw error(in, "takes a " + typeName(module) + " and a " + typeName(name)
                    + " as module and name, expected two str");
        }
        return checkGlobal(ops, in, moduleName, globalName);
    }

    private Object reduce(Instruction in) {
        Object args = pop(in);
        Object callable = pop(in);
        if (!(callable instanceof PythonGlobal global) || !global.callable()) {
            throw error(in, "calls a " + typeName(callable) + ", which is not an allowed callable");
        }
        if (!(args instanceof PyTuple tuple)) {
            throw error(in, "calls " + global.spelling() + " with a " + typeName(args) + ", expected a tuple");
        }
        switch (global) {
            case CODECS_ENCODE:
                return encodeLatin1(in, tuple);
            case DTYPE:
                return newDtype(in, tuple);
            case RECONSTRUCT:
                return reconstruct(in, tuple);
            case FROMBUFFER:
                return fromBuffer(in, tuple);
            default:
                throw new IllegalStateException("callable global without a model: " + global);
        }
    }

    private InputException badArguments(Instruction in, PythonGlobal global, PyTuple args, String expected) {
        StringBuilder got = new StringBuilder("(");
        for (int i = 0; i < args.size(); i++) {
            got.append(i == 0 ? "" : ", ").append(typeName(args.get(i)));
        }
        return error(in, "calls " + global.spelling() + " with " + got.append(')') + ", expected " + expected);
    }

    /** {@code _codecs.encode(text, 'latin1')}: every character becomes the byte of the same value. */
    private PyBytes encodeLatin1(Instruction in, PyTuple args) {
        if (args.size() != 2 || !(args.get(0) instanceof String text) || !"latin1".equals(args.get(1))) {
            throw badArguments(in, PythonGlobal.CODECS_ENCODE, args, "(str, 'latin1')");
        }
        byte[] bytes = new byte[text.length()];
        for (int i = 0; i < bytes.length; i++) {
            char c = text.charAt(i);
            if (c > 0xFF) {
                throw error(in, "encodes character U+" + String.format("%04X", (int) c)
                        + " as latin1, which cannot hold it");
            }
            bytes[i] = (byte) c;
        }
        return new PyBytes(bytes);
    }

    /** {@code numpy.dtype(descr, align, copy)}; only the type code matters, the flags are checked for type. */
    private NumpyDtype newDtype(Instruction in, PyTuple args) {
        String expected = "(str, bool, bool)";
        if (args.size() != 3 || !isFlag(args.get(1)) || !isFlag(args.get(2))) {
            throw badArguments(in, PythonGlobal.DTYPE, args, expected);
        }
        String descr = text(args.get(0));
        if (descr == null || descr.isEmpty() || descr.length() > MAX_DESCR) {
            throw badArguments(in, PythonGlobal.DTYPE, args, expected + " with a short type code");
        }
        return new NumpyDtype(descr);
    }

    /** {@code _reconstruct(ndarray, shape, b'b')}: the empty array that a BUILD fills. */
    private NumpyArray reconstruct(Instruction in, PyTuple args) {
        if (args.size() != 3 || args.get(0) != PythonGlobal.NDARRAY || !(args.get(1) instanceof PyTuple)
                || !PyBytes.ascii("b").equals(args.get(2))) {
            throw badArguments(in, PythonGlobal.RECONSTRUCT, args, "(numpy.ndarray, tuple, b'b')");
        }
        return new NumpyArray();
    }

    /** Protocol 5's {@code _frombuffer(buffer, dtype, shape, order)}. */
    private NumpyArray fromBuffer(Instruction in, PyTuple args) {
        String expected = "(bytes, dtype, shape tuple, 'C' or 'F')";
        if (args.size() != 4 || !(args.get(0) instanceof PyBytes buffer) || !(args.get(1) instanceof NumpyDtype dtype)
                || !(args.get(2) instanceof PyTuple shape)) {
            throw badArguments(in, PythonGlobal.FROMBUFFER, args, expected);
        }
        String order = text(args.get(3));
        if (!"C".equals(order) && !"F".equals(order)) {
            throw badArguments(in, PythonGlobal.FROMBUFFER, args, expected);
        }
        return new NumpyArray(shape(in, shape), dtype, "F".equals(order), buffer.bytes());
    }

    /** BUILD: gives a dtype its byte order, or a reconstructed array its content. Nothing else may be built. */
    private void build(Instruction in) {
        Object state = pop(in);
        Object target = peek(in);
        if (target instanceof NumpyDtype dtype && !dtype.built()) {
            buildDtype(in, dtype, state);
        } else if (target instanceof NumpyArray array && !array.complete()) {
            buildArray(in, array, state);
        } else {
            throw error(in, "sets the state of a " + typeName(target) + (target instanceof NumpyDtype
                    || target instanceof NumpyArray ? " a second time" : "") + ", which is not allowed");
        }
    }

    /** The dtype state is (version, byte order, subarray, names, fields, itemsize, alignment, flags[, metadata]). */
    private void buildDtype(Instruction in, NumpyDtype dtype, Object state) {
        if (state instanceof PyTuple tuple && tuple.size() >= 2 && tuple.get(0) instanceof Long) {
            String order = text(tuple.get(1));
            if (order != null && order.length() == 1 && "<>|=".contains(order)) {
                dtype.build(order);
                return;
            }
        }
        throw error(in, "gives a numpy dtype a state that is not (version, byte order, ...)");
    }

    /** The ndarray state is (version 1, shape, dtype, is_fortran, raw bytes). */
    private void buildArray(Instruction in, NumpyArray array, Object state) {
        if (!(state instanceof PyTuple tuple) || tuple.size() != 5 || !Long.valueOf(1).equals(tuple.get(0))
                || !(tuple.get(1) instanceof PyTuple shape) || !(tuple.get(2) instanceof NumpyDtype dtype)
                || !isFlag(tuple.get(3))) {
            throw error(in, "gives a numpy array a state that is not (1, shape, dtype, is_fortran, data)");
        }
        if (!(tuple.get(4) instanceof PyBytes data)) {
            throw error(in, "gives a numpy array a " + typeName(tuple.get(4))
                    + " as its data, expected raw bytes (object arrays are not read)");
        }
        boolean fortran = Boolean.TRUE.equals(tuple.get(3)) || Long.valueOf(1).equals(tuple.get(3));
        array.fill(shape(in, shape), dtype, fortran, data.bytes());
    }

    private long[] shape(Instruction in, PyTuple tuple) {
        if (tuple.size() > MAX_DIMENSIONS) {
            throw error(in, "gives an array " + tuple.size() + " dimensions, more than " + MAX_DIMENSIONS);
        }
        long[] shape = new long[tuple.size()];
        for (int i = 0; i < shape.length; i++) {
            if (!(tuple.get(i) instanceof Long dimension) || dimension < 0) {
                throw error(in, "gives an array dimension " + i + " that is not a non-negative int");
            }
            shape[i] = dimension;
        }
        return shape;
    }

    private static boolean isFlag(Object value) {
        return value instanceof Boolean || value instanceof Long;
    }

    /** A str, or bytes read as ASCII (Python 2 wrote type codes as byte strings); null for anything else. */
    private static String text(Object value) {
        if (value instanceof String text) {
            return text;
        }
        if (value instanceof PyBytes bytes) {
            return bytes.latin1();
        }
        return null;
    }
}
