package org.vectrain.engine.data.pickle;

/**
 * Every opcode of pickle protocols 0 to 5, so that a rejection can name what it found. Only the
 * opcodes with an argument format other than {@link Arg#NOT_ALLOWED} are accepted; their formats are
 * the ones of Python's {@code pickletools}.
 */
enum Opcode {
    // Accepted: framing, containers, memo, scalars, byte and text strings, globals, REDUCE, BUILD.
    PROTO(0x80, Arg.U1),
    FRAME(0x95, Arg.U8),
    STOP('.', Arg.NONE),
    MARK('(', Arg.NONE),
    EMPTY_DICT('}', Arg.NONE),
    EMPTY_LIST(']', Arg.NONE),
    EMPTY_TUPLE(')', Arg.NONE),
    TUPLE('t', Arg.NONE),
    TUPLE1(0x85, Arg.NONE),
    TUPLE2(0x86, Arg.NONE),
    TUPLE3(0x87, Arg.NONE),
    APPEND('a', Arg.NONE),
    APPENDS('e', Arg.NONE),
    SETITEM('s', Arg.NONE),
    SETITEMS('u', Arg.NONE),
    BINPUT('q', Arg.U1),
    LONG_BINPUT('r', Arg.U4),
    MEMOIZE(0x94, Arg.NONE),
    BINGET('h', Arg.U1),
    LONG_BINGET('j', Arg.U4),
    BININT('J', Arg.I4),
    BININT1('K', Arg.U1),
    BININT2('M', Arg.U2),
    LONG1(0x8a, Arg.LONG1),
    NONE('N', Arg.NONE),
    NEWTRUE(0x88, Arg.NONE),
    NEWFALSE(0x89, Arg.NONE),
    SHORT_BINSTRING('U', Arg.BYTES_U1),
    BINSTRING('T', Arg.BYTES_I4),
    SHORT_BINBYTES('C', Arg.BYTES_U1),
    BINBYTES('B', Arg.BYTES_U4),
    BINBYTES8(0x8e, Arg.BYTES_U8),
    BYTEARRAY8(0x96, Arg.BYTES_U8),
    SHORT_BINUNICODE(0x8c, Arg.BYTES_U1),
    BINUNICODE('X', Arg.BYTES_U4),
    BINUNICODE8(0x8d, Arg.BYTES_U8),
    GLOBAL('c', Arg.TWO_LINES),
    STACK_GLOBAL(0x93, Arg.NONE),
    REDUCE('R', Arg.NONE),
    BUILD('b', Arg.NONE),

    // Refused: object construction by other routes, persistent ids, extension registry, text-mode
    // opcodes of protocols 0 and 1, sets, out-of-band buffers, and stack shuffling never needed here.
    POP('0'), POP_MARK('1'), DUP('2'), FLOAT('F'), INT('I'), LONG('L'), PERSID('P'), BINPERSID('Q'),
    STRING('S'), UNICODE('V'), DICT('d'), GET('g'), INST('i'), LIST('l'), OBJ('o'), PUT('p'),
    BINFLOAT('G'), NEWOBJ(0x81), EXT1(0x82), EXT2(0x83), EXT4(0x84), LONG4(0x8b), EMPTY_SET(0x8f),
    ADDITEMS(0x90), FROZENSET(0x91), NEWOBJ_EX(0x92), NEXT_BUFFER(0x97), READONLY_BUFFER(0x98);

    /** How an accepted opcode's argument is laid out after the opcode byte (little-endian). */
    enum Arg {
        NONE, U1, U2, I4, U4, U8,
        /** One length byte, then that many bytes of two's complement integer. */
        LONG1,
        /** A length (1, 4 signed, 4 or 8 bytes), then that many bytes. */
        BYTES_U1, BYTES_I4, BYTES_U4, BYTES_U8,
        /** Two newline-terminated ASCII lines: module and name. */
        TWO_LINES,
        NOT_ALLOWED
    }

    private static final Opcode[] BY_CODE = new Opcode[256];

    static {
        for (Opcode op : values()) {
            BY_CODE[op.code] = op;
        }
    }

    final int code;
    final Arg arg;

    Opcode(int code, Arg arg) {
        this.code = code;
        this.arg = arg;
    }

    Opcode(int code) {
        this(code, Arg.NOT_ALLOWED);
    }

    /** The opcode for a byte, or null when the byte is no pickle opcode at all. */
    static Opcode of(int unsignedByte) {
        return BY_CODE[unsignedByte];
    }

    boolean allowed() {
        return arg != Arg.NOT_ALLOWED;
    }

    /** For messages, for example {@code NEWOBJ (0x81)}. */
    String describe() {
        return name() + String.format(" (0x%02x)", code);
    }
}
