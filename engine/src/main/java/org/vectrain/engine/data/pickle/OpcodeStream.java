package org.vectrain.engine.data.pickle;

import java.nio.charset.StandardCharsets;
import org.vectrain.engine.InputException;

/**
 * Decodes a pickle into opcodes and their arguments, one at a time, without building anything.
 *
 * <p>Refuses, at the offending byte: any byte that is not an opcode, any opcode that is not accepted,
 * and any length or line that runs past the end of the file. So a caller never allocates from a
 * length it has not seen checked against the bytes that are really there.
 */
final class OpcodeStream {
    /** Longest module or name line accepted after GLOBAL; real ones are a few dozen bytes. */
    static final int MAX_GLOBAL_LINE = 256;

    /**
     * One opcode and its argument.
     *
     * @param offset where the opcode byte is in the file
     * @param number the integer argument (memo index, integer value, protocol, frame length)
     * @param dataOffset where the payload of a string opcode starts
     * @param dataLength payload length of a string opcode
     * @param module first line of GLOBAL, else null
     * @param name second line of GLOBAL, else null
     */
    record Instruction(Opcode opcode, int offset, long number, int dataOffset, int dataLength,
            String module, String name) {
    }

    private final byte[] bytes;
    private final String source;
    private int pos;

    OpcodeStream(byte[] bytes, String source) {
        this.bytes = bytes;
        this.source = source;
    }

    int position() {
        return pos;
    }

    Instruction next() {
        int offset = pos;
        if (pos >= bytes.length) {
            throw error("the pickle ends at byte " + pos + " without its STOP opcode (truncated)");
        }
        int code = bytes[pos] & 0xFF;
        Opcode op = Opcode.of(code);
        if (op == null) {
            throw error(String.format("byte 0x%02x at offset %d is not a pickle opcode (corrupt pickle)",
                    code, offset));
        }
        if (!op.allowed()) {
            throw error("opcode " + op.describe() + " at byte " + offset
                    + " is not allowed: only plain data and numpy uint8 arrays are read");
        }
        pos++;
        switch (op.arg) {
            case NONE:
                return number(op, offset, 0);
            case U1:
                return number(op, offset, unsigned(1, op, offset));
            case U2:
                return number(op, offset, unsigned(2, op, offset));
            case U4:
                return number(op, offset, unsigned(4, op, offset));
            case I4:
                return number(op, offset, (int) unsigned(4, op, offset));
            case U8:
                return number(op, offset, length(unsigned8(op, offset), op, offset));
            case LONG1:
                return number(op, offset, long1(op, offset));
            case BYTES_U1:
                return data(op, offset, unsigned(1, op, offset));
            case BYTES_I4:
                return data(op, offset, (int) unsigned(4, op, offset));
            case BYTES_U4:
                return data(op, offset, unsigned(4, op, offset));
            case BYTES_U8:
                return data(op, offset, unsigned8(op, offset));
            case TWO_LINES:
                String module = line(op, offset);
                String name = line(op, offset);
                return new Instruction(op, offset, 0, 0, 0, module, name);
            default:
                throw new IllegalStateException("no decoder for " + op);
        }
    }

    /** The payload of a string opcode, copied out of the file. */
    byte[] payload(Instruction instruction) {
        byte[] out = new byte[instruction.dataLength()];
        System.arraycopy(bytes, instruction.dataOffset(), out, 0, out.length);
        return out;
    }

    InputException error(String what) {
        return new InputException(source + ": " + what);
    }

    private static Instruction number(Opcode op, int offset, long value) {
        return new Instruction(op, offset, value, 0, 0, null, null);
    }

    private Instruction data(Opcode op, int offset, long declared) {
        int length = length(declared, op, offset);
        Instruction instruction = new Instruction(op, offset, 0, pos, length, null, null);
        pos += length;
        return instruction;
    }

    /** Checks a declared length against the bytes left, so that no allocation trusts the file. */
    private int length(long declared, Opcode op, int offset) {
        long remaining = bytes.length - pos;
        if (declared < 0 || declared > remaining) {
            throw error(op.name() + " at byte " + offset + " declares " + Long.toUnsignedString(declared)
                    + " bytes but only " + remaining + " remain (truncated or corrupt pickle)");
        }
        return (int) declared;
    }

    private void need(int count, Opcode op, int offset) {
        if (bytes.length - pos < count) {
            throw error(op.name() + " at byte " + offset + " needs " + count
                    + " argument bytes but the file ends at byte " + bytes.length + " (truncated)");
        }
    }

    /** A little-endian unsigned integer of 1, 2 or 4 bytes. */
    private long unsigned(int count, Opcode op, int offset) {
        need(count, op, offset);
        long value = 0;
        for (int i = count - 1; i >= 0; i--) {
            value = (value << 8) | (bytes[pos + i] & 0xFF);
        }
        pos += count;
        return value;
    }

    /** A little-endian 8-byte length; values of 2^63 and above come back negative and are refused. */
    private long unsigned8(Opcode op, int offset) {
        need(8, op, offset);
        long value = 0;
        for (int i = 7; i >= 0; i--) {
            value = (value << 8) | (bytes[pos + i] & 0xFF);
        }
        pos += 8;
        return value;
    }

    /** LONG1: a length byte, then a little-endian two's complement integer; more than 8 bytes is refused. */
    private long long1(Opcode op, int offset) {
        int count = (int) unsigned(1, op, offset);
        if (count > Long.BYTES) {
            throw error(op.name() + " at byte " + offset + " holds a " + count
                    + "-byte integer; at most 8 bytes are accepted");
        }
        need(count, op, offset);
        long value = 0;
        for (int i = count - 1; i >= 0; i--) {
            value = (value << 8) | (bytes[pos + i] & 0xFF);
        }
        if (count > 0 && count < Long.BYTES) {
            int unused = Long.SIZE - 8 * count;
            value = (value << unused) >> unused;
        }
        pos += count;
        return value;
    }

    private String line(Opcode op, int offset) {
        int limit = Math.min(bytes.length, pos + MAX_GLOBAL_LINE + 1);
        for (int i = pos; i < limit; i++) {
            if (bytes[i] == '\n') {
                // ISO-8859-1 maps every byte to one char, so a hostile name cannot fail to decode.
                String text = new String(bytes, pos, i - pos, StandardCharsets.ISO_8859_1);
                pos = i + 1;
                return text;
            }
        }
        throw error(op.name() + " at byte " + offset + " has no line end within " + MAX_GLOBAL_LINE
                + " bytes (truncated or corrupt pickle)");
    }
}
