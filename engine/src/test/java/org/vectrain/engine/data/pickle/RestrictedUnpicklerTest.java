package org.vectrain.engine.data.pickle;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.vectrain.engine.data.pickle.PickleBytes.pickle;

import java.io.ByteArrayOutputStream;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.vectrain.engine.InputException;

/** Opcode-level behaviour of the restricted unpickler, on pickles written byte by byte here. */
class RestrictedUnpicklerTest {
    private static final String SOURCE = "test.pkl";

    static Object load(Object... parts) {
        return RestrictedUnpickler.load(pickle(parts), SOURCE);
    }

    static String rejection(Object... parts) {
        InputException e = assertThrows(InputException.class, () -> load(parts));
        assertTrue(e.getMessage().startsWith(SOURCE + ": "), e.getMessage());
        assertFalse(e.getMessage().contains("\n"), "one line: " + e.getMessage());
        return e.getMessage();
    }

    static void assertContains(String message, String... parts) {
        for (String part : parts) {
            assertTrue(message.contains(part), "expected '" + part + "' in: " + message);
        }
    }

    @Test
    void readsPlainValues() {
        // {b'k': [1, -2, 300, None, True, 'té', (7,)]} with MARK/APPENDS, memo and a LONG1.
        Object root = load(0x80, 2, '}', 'q', 0, 'C', 1, "k", ']', 'r', 1, 0, 0, 0, '(',
                'K', 1, 'J', 0xfe, 0xff, 0xff, 0xff, 'M', 0x2c, 0x01, 'N', 0x88,
                'X', 3, 0, 0, 0, 't', 0xc3, 0xa9, 'K', 7, 0x85, 'e', 's', '.');
        Map<?, ?> dict = (Map<?, ?>) root;
        List<?> list = (List<?>) dict.get(PyBytes.ascii("k"));
        assertEquals(List.of(1L, -2L, 300L, PyNone.NONE, true, "té", new PyTuple(List.of(7L))), list);
    }

    @Test
    void memoGetReturnsTheSameValue() {
        Object root = load(0x80, 4, ']', 0x94, 'h', 0, 0x86, '.');
        PyTuple pair = (PyTuple) root;
        assertTrue(pair.get(0) == pair.get(1));
        Object longMemo = load(0x80, 2, 'N', 'r', 0x10, 0x27, 0, 0, 'j', 0x10, 0x27, 0, 0, 0x86, '.');
        assertEquals(new PyTuple(List.of(PyNone.NONE, PyNone.NONE)), longMemo);
    }

    @ParameterizedTest
    @CsvSource({"1, 0x01, 1", "1, 0xff, -1", "2, 0x00 0x80, -32768", "0, '', 0",
        "8, 0xff 0xff 0xff 0xff 0xff 0xff 0xff 0x7f, 9223372036854775807"})
    void readsLong1(int length, String hex, long expected) {
        ByteArrayOutputStream digits = new ByteArrayOutputStream();
        for (String b : hex.isEmpty() ? new String[0] : hex.split(" ")) {
            digits.write(Integer.decode(b));
        }
        assertEquals(expected, load(0x80, 2, 0x8a, length, digits.toByteArray(), '.'));
    }

    @Test
    void refusesLongerIntegers() {
        assertContains(rejection(0x80, 2, 0x8a, 9, new byte[9], '.'), "LONG1 at byte 2", "9-byte integer");
    }

    @ParameterizedTest
    @CsvSource({
        "0x81, NEWOBJ", "0x92, NEWOBJ_EX", "0x69, INST", "0x6f, OBJ", "0x82, EXT1", "0x83, EXT2", "0x84, EXT4",
        "0x50, PERSID", "0x51, BINPERSID", "0x97, NEXT_BUFFER", "0x98, READONLY_BUFFER", "0x53, STRING",
        "0x8f, EMPTY_SET", "0x30, POP", "0x32, DUP", "0x64, DICT"})
    void refusesEveryOpcodeOffTheWhitelist(String code, String name) {
        String message = rejection(0x80, 2, 'N', Integer.decode(code), 'N', '.');
        assertContains(message, "opcode " + name + " (" + code + ") at byte 3 is not allowed");
    }

    @Test
    void refusesAForbiddenOpcodeAfterHarmlessOnesBeforeBuildingAnything() {
        // The first pass sees NEWOBJ at byte 9 although the huge list before it would be built first.
        assertContains(rejection(0x80, 2, ']', '(', 'K', 1, 'K', 2, 'e', 0x81, '.'), "NEWOBJ (0x81) at byte 9");
    }

    @Test
    void refusesBytesThatAreNoOpcode() {
        assertContains(rejection(0x80, 2, 0xff, '.'), "byte 0xff at offset 2 is not a pickle opcode");
    }

    @Test
    void refusesForbiddenGlobals() {
        assertContains(rejection(0x80, 2, 'c', "os\nsystem\n", 'X', 2, 0, 0, 0, "ls", 0x85, 'R', '.'),
                "GLOBAL 'os system' at byte 2 is not allowed");
        assertContains(rejection(0x80, 2, 'c', "builtins\neval\n", '.'), "GLOBAL 'builtins eval' at byte 2");
        assertContains(rejection(0x80, 2, 'c', "numpy\nload\n", '.'), "GLOBAL 'numpy load'");
        // Near-misses of allowed names are still refused: only exact module and name pairs pass.
        assertContains(rejection(0x80, 2, 'c', "numpy.core.multiarray\n_reconstruct \n", '.'), "is not allowed");
        assertContains(rejection(0x80, 4, 0x8c, 5, "posix", 0x8c, 6, "system", 0x93, '.'),
                "STACK_GLOBAL 'posix system' at byte 17 is not allowed");
    }

    @Test
    void escapesControlCharactersInGlobalNames() {
        String message = rejection(0x80, 2, 'c', "os\rx\nsys\u001btem\n", '.');
        assertContains(message, "'os\\x0dx sys\\x1btem'");
    }

    @Test
    void refusesReduceOnAnythingButAnAllowedCallable() {
        assertContains(rejection(0x80, 2, 'c', "numpy\nndarray\n", ')', 'R', '.'),
                "REDUCE at byte 18 calls a global 'numpy ndarray', which is not an allowed callable");
        assertContains(rejection(0x80, 2, ']', ')', 'R', '.'), "REDUCE at byte 4 calls a list");
        assertContains(rejection(0x80, 2, 'c', "numpy\ndtype\n", ']', 'R', '.'), "with a list, expected a tuple");
    }

    @Test
    void checksTheArgumentsOfEveryCallable() {
        assertContains(rejection(0x80, 2, 'c', "_codecs\nencode\n", 'X', 1, 0, 0, 0, "a", 'X', 4, 0, 0, 0, "utf8",
                0x86, 'R', '.'), "calls _codecs encode with (str, str), expected (str, 'latin1')");
        assertContains(rejection(0x80, 2, 'c', "_codecs\nencode\n", 'X', 3, 0, 0, 0, 0xe2, 0x82, 0xac,
                'X', 6, 0, 0, 0, "latin1", 0x86, 'R', '.'), "U+20AC");
        assertContains(rejection(0x80, 2, 'c', "numpy\ndtype\n", 'N', 'K', 0, 'K', 1, 0x87, 'R', '.'),
                "numpy dtype with (None, int, int)");
        assertContains(rejection(0x80, 2, 'c', "numpy.core.multiarray\n_reconstruct\n", 'c', "numpy\ndtype\n",
                'K', 0, 0x85, 'C', 1, "b", 0x87, 'R', '.'), "expected (numpy.ndarray, tuple, b'b')");
    }

    @Test
    void decodesCodecsEncodeAsLatin1() {
        // 'a\u00ff' as UTF-8 is 61 c3 bf; latin1 makes it the two bytes 61 ff.
        PyBytes bytes = (PyBytes) load(0x80, 2, 'c', "_codecs\nencode\n", 'X', 3, 0, 0, 0, 'a', 0xc3, 0xbf,
                'X', 6, 0, 0, 0, "latin1", 0x86, 'R', '.');
        assertArrayEquals(new byte[] {'a', (byte) 0xff}, bytes.bytes());
    }

    @Test
    void refusesBuildOnAnythingButAFreshDtypeOrArray() {
        assertContains(rejection(0x80, 2, '}', ')', 'b', '.'), "BUILD at byte 4 sets the state of a dict");
        byte[] dtype = pickle('c', "numpy\ndtype\n", 'X', 2, 0, 0, 0, "u1", 0x89, 0x88, 0x87, 'R',
                '(', 'K', 3, 'X', 1, 0, 0, 0, "|", 'N', 'N', 'N', 'J', 0xff, 0xff, 0xff, 0xff,
                'J', 0xff, 0xff, 0xff, 0xff, 'K', 0, 't', 'b');
        assertContains(rejection(0x80, 2, dtype, 'K', 3, 'X', 1, 0, 0, 0, "<", 0x86, 'b', '.'),
                "sets the state of a numpy dtype a second time");
    }

    @Test
    void refusesLengthsBeyondTheEndOfTheFile() {
        assertContains(rejection(0x80, 2, 'B', 0xff, 0xff, 0xff, 0x7f, "abc", '.'),
                "BINBYTES at byte 2 declares 2147483647 bytes but only 4 remain");
        assertContains(rejection(0x80, 2, 0x8e, 0, 0, 0, 0, 0, 0, 0, 0x80, '.'),
                "BINBYTES8 at byte 2 declares 9223372036854775808 bytes");
        assertContains(rejection(0x80, 2, 'T', 0xff, 0xff, 0xff, 0xff, '.'), "BINSTRING at byte 2 declares");
        assertContains(rejection(0x80, 4, 0x95, 100, 0, 0, 0, 0, 0, 0, 0, 'N', '.'), "FRAME at byte 2 declares 100");
        assertContains(rejection(0x80, 2, 'J', 1, 2), "BININT at byte 2 needs 4 argument bytes");
        assertContains(rejection(0x80, 2, 'c', "numpy".repeat(60)), "GLOBAL at byte 2 has no line end within 256");
    }

    @Test
    void refusesMalformedStructure() {
        assertContains(rejection(0x80, 2, 'N'), "ends at byte 3 without its STOP opcode");
        assertContains(rejection(0x80, 2, '.'), "STOP at byte 2 finds no value");
        assertContains(rejection(0x80, 2, 'N', 'N', '.'), "STOP at byte 4 leaves 1 values");
        assertContains(rejection(0x80, 2, 'N', '.', 'N'), "1 bytes follow the STOP opcode at byte 3");
        assertContains(rejection(0x80, 2, 'h', 5, '.'), "BINGET at byte 2 refers to memo entry 5");
        assertContains(rejection(0x80, 2, 'N', 'e', '.'), "APPENDS at byte 3 has no MARK");
        assertContains(rejection(0x80, 2, 'N', '(', 'N', 0x86, '.'),
                "TUPLE2 at byte 5 needs 2 values but the stack holds 1");
        assertContains(rejection(0x80, 2, 'N', 'N', 'a', '.'), "APPEND at byte 4 appends to a None");
        assertContains(rejection(0x80, 2, '}', ']', 'N', 's', '.'), "uses a list as a dict key");
        assertContains(rejection(0x80, 2, 'X', 1, 0, 0, 0, 0xff, '.'), "not valid UTF-8");
        assertContains(rejection(0x80, 2, 'N', 0x80, 2, '.'), "PROTO at byte 3");
        assertContains(rejection(0x80, 4, 'N', 'N', 0x93, '.'), "STACK_GLOBAL at byte 4 takes a None and a None");
    }

    @Test
    void refusesWhatIsNoPickleOfAnAcceptedProtocol() {
        assertContains(rejection(), "file is empty");
        assertContains(rejection("hello"), "not a pickle of protocol 2 or later (it starts with byte 0x68");
        assertContains(rejection(0x80), "truncated pickle");
        assertContains(rejection(0x80, 1, 'N', '.'), "pickle protocol 1 is not supported");
        assertContains(rejection(0x80, 6, 'N', '.'), "pickle protocol 6 is not supported");
    }

    @Test
    void boundsTheNumberOfValues() {
        byte[] many = new byte[RestrictedUnpickler.MAX_VALUES + 1];
        java.util.Arrays.fill(many, (byte) 'N');
        assertContains(rejection(0x80, 2, '(', many, 't', '.'), "more than " + RestrictedUnpickler.MAX_VALUES + " values");
    }

    @Test
    void typeNamesAreThePythonOnes() {
        assertEquals("int", RestrictedUnpickler.typeName(1L));
        assertEquals("bytes", RestrictedUnpickler.typeName(PyBytes.ascii("x")));
        assertEquals("str", RestrictedUnpickler.typeName("x"));
        assertEquals("tuple", RestrictedUnpickler.typeName(new PyTuple(List.of())));
        assertEquals("global 'numpy dtype'", RestrictedUnpickler.typeName(PythonGlobal.DTYPE));
    }
}
