package org.vectrain.engine.data.pickle;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.vectrain.engine.data.pickle.PickleBytes.pickle;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vectrain.engine.InputException;
import org.vectrain.engine.data.CifarPickleReader;

/**
 * Pickles that try to run code, in the disguises a hostile file would use: GLOBAL and STACK_GLOBAL of
 * dangerous callables (names given directly, through the memo, as bytes, with near-miss spellings),
 * the opcodes that call or look up without a GLOBAL (INST, OBJ, NEWOBJ, NEWOBJ_EX, EXT1/2/4, PERSID,
 * BINPERSID), and BUILD used as {@code __setstate__}. Each is refused with a message naming what was
 * refused; RestrictedUnpicklerTest covers the basic forms, this table the variants.
 */
class HostilePicklesTest {
    /** A pickle, and a fragment its refusal must contain. */
    private record Case(String what, byte[] bytes, String expected) {
    }

    private static final int PROTO = 0x80;
    private static final int SHORT_BINUNICODE = 0x8c;
    private static final int STACK_GLOBAL = 0x93;
    private static final int MEMOIZE = 0x94;
    private static final int TUPLE1 = 0x85;

    private static byte[] shortText(String text) {
        return pickle(SHORT_BINUNICODE, text.length(), text);
    }

    private static final List<Case> CASES = List.of(
        new Case("GLOBAL os.system called with REDUCE", pickle(PROTO, 2, 'c', "os\nsystem\n", shortText("id"), TUPLE1, 'R',
                '.'), "GLOBAL 'os system' at byte 2 is not allowed"),
        new Case("GLOBAL posix.system", pickle(PROTO, 2, 'c', "posix\nsystem\n", '.'), "GLOBAL 'posix system'"),
        new Case("GLOBAL builtins.eval with REDUCE", pickle(PROTO, 3, 'c', "builtins\neval\n", shortText("1"), TUPLE1, 'R',
                '.'), "GLOBAL 'builtins eval'"),
        new Case("Python 2 __builtin__.eval", pickle(PROTO, 2, 'c', "__builtin__\neval\n", '.'), "'__builtin__ eval'"),
        new Case("builtins.getattr", pickle(PROTO, 2, 'c', "builtins\ngetattr\n", '.'), "'builtins getattr'"),
        new Case("subprocess.Popen", pickle(PROTO, 2, 'c', "subprocess\nPopen\n", '.'), "'subprocess Popen'"),
        new Case("copyreg._reconstructor", pickle(PROTO, 2, 'c', "copyreg\n_reconstructor\n", '.'),
                "'copyreg _reconstructor'"),
        new Case("numpy scalar", pickle(PROTO, 2, 'c', "numpy.core.multiarray\nscalar\n", '.'), "'numpy.core.multiarray scalar'"),
        new Case("a hostile GLOBAL nested inside allowed ones", pickle(PROTO, 2, 'c', "numpy\ndtype\n", 'c', "os\nsystem\n",
                '.'), "GLOBAL 'os system' at byte 15"),
        new Case("STACK_GLOBAL builtins.eval", pickle(PROTO, 4, shortText("builtins"), shortText("eval"), STACK_GLOBAL,
                shortText("1+1"), TUPLE1, 'R', '.'), "STACK_GLOBAL 'builtins eval' at byte 18 is not allowed"),
        new Case("STACK_GLOBAL from BINUNICODE", pickle(PROTO, 4, 'X', 2, 0, 0, 0, "os", 'X', 6, 0, 0, 0, "system",
                STACK_GLOBAL, '.'), "STACK_GLOBAL 'os system'"),
        new Case("STACK_GLOBAL with names from the memo", pickle(PROTO, 4, shortText("os"), MEMOIZE, shortText("system"),
                MEMOIZE, 'h', 0, 'h', 1, STACK_GLOBAL, '.'), "STACK_GLOBAL 'os system' at byte 20"),
        new Case("STACK_GLOBAL with bytes names", pickle(PROTO, 4, 'C', 2, "os", 'C', 6, "system", STACK_GLOBAL, '.'),
                "takes a bytes and a bytes as module and name, expected two str"),
        new Case("STACK_GLOBAL with a near-miss name", pickle(PROTO, 4, shortText("numpy"), shortText("ndarray "),
                STACK_GLOBAL, '.'), "is not allowed"),
        new Case("STACK_GLOBAL numpy.load", pickle(PROTO, 4, shortText("numpy"), shortText("load"), STACK_GLOBAL, '.'),
                "STACK_GLOBAL 'numpy load'"),
        new Case("GLOBAL with a Cyrillic look-alike module", pickle(PROTO, 2, 'c', "\u00d0\u00bes\nsystem\n", '.'),
                "is not allowed"),
        new Case("INST", pickle(PROTO, 2, '(', 'i', "os\nsystem\n", '.'), "INST (0x69)"),
        new Case("OBJ", pickle(PROTO, 2, '(', 'o', '.'), "OBJ (0x6f)"),
        new Case("NEWOBJ on ndarray", pickle(PROTO, 2, 'c', "numpy\nndarray\n", ')', 0x81, '.'), "NEWOBJ (0x81)"),
        new Case("NEWOBJ_EX", pickle(PROTO, 4, 0x92, '.'), "NEWOBJ_EX (0x92)"),
        new Case("EXT1 (extension registry)", pickle(PROTO, 2, 0x82, 1, '.'), "EXT1 (0x82)"),
        new Case("EXT2", pickle(PROTO, 2, 0x83, 1, 0, '.'), "EXT2 (0x83)"),
        new Case("EXT4", pickle(PROTO, 2, 0x84, 1, 0, 0, 0, '.'), "EXT4 (0x84)"),
        new Case("PERSID", pickle(PROTO, 2, 'P', "x\n", '.'), "PERSID (0x50)"),
        new Case("BINPERSID", pickle(PROTO, 2, 'N', 'Q', '.'), "BINPERSID (0x51)"),
        new Case("BUILD as __setstate__ of a dict", pickle(PROTO, 2, '}', '}', 'b', '.'), "sets the state of a dict"),
        new Case("REDUCE on a string", pickle(PROTO, 2, shortText("os.system"), ')', 'R', '.'), "calls a str"),
        new Case("REDUCE on ndarray (allowed name, not callable)", pickle(PROTO, 2, 'c', "numpy\nndarray\n", ')', 'R', '.'),
                "not an allowed callable"));

    @Test
    void everyDisguiseIsRefusedNamingWhatWasRefused() {
        for (Case c : CASES) {
            InputException e = assertThrows(InputException.class, () -> RestrictedUnpickler.load(c.bytes(), "evil.pkl"),
                    c.what());
            assertTrue(e.getMessage().startsWith("evil.pkl: ") && e.getMessage().contains(c.expected()),
                    c.what() + ": expected '" + c.expected() + "' in: " + e.getMessage());
        }
        System.out.println("hostile pickles: " + CASES.size() + " variants refused");
    }

    /** The same through the batch reader, as a data folder would meet them: refused, never half-read. */
    @Test
    void theBatchReaderRefusesThemAsFiles(@TempDir Path tmp) throws Exception {
        for (int i = 0; i < CASES.size(); i++) {
            Path file = Files.write(tmp.resolve("data_batch_" + i), CASES.get(i).bytes());
            InputException e = assertThrows(InputException.class, () -> CifarPickleReader.readBatch(file));
            assertTrue(e.getMessage().startsWith(file.toString()), e.getMessage());
        }
    }
}
