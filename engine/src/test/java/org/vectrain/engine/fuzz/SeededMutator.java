package org.vectrain.engine.fuzz;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * A small, deterministic, coverage-blind mutator of byte strings: the fallback half of the fuzz
 * tests, which runs the same way on every JDK and in every CI pass.
 *
 * <p>Each input is a seed from the corpus with one to four edits stacked on it: bit flips, bytes and
 * little- or big-endian integers overwritten with boundary values (0, -1, 2^31 - 1, the CIFAR record
 * size ...), ranges deleted or duplicated, truncation, random bytes inserted, splices with another seed, and
 * insertion of tokens from a per-format dictionary (opcodes, header keys). Boundary integers matter
 * most: every reader here trusts a length or count from the file only after checking it, and this is
 * how such checks are exercised.
 */
public final class SeededMutator {
    /** Integers that sit on the edges readers check: signs, widths, the record and image sizes. */
    private static final long[] INTERESTING = {0, 1, 2, 3, 9, 10, 11, 127, 128, 255, 256, 3072, 3073, 0x7FFF, 0xFFFF,
        0x1_0000, 0x7FFF_FFFFL, 0x8000_0000L, 0xFFFF_FFFFL, -1, Long.MAX_VALUE, Long.MIN_VALUE, 1L << 40};
    /** Longest input produced; keeps the sweep fast while leaving room for large declared lengths. */
    private static final int MAX_LENGTH = 1 << 17;

    private final List<byte[]> seeds;
    private final List<byte[]> dictionary;
    private final SplittableRandom random;

    /**
     * @param seeds the corpus to start from; not empty
     * @param dictionary tokens worth inserting for this format; may be empty
     * @param seed the one seed of every choice, so that a failing input can be reproduced
     */
    public SeededMutator(List<byte[]> seeds, List<byte[]> dictionary, long seed) {
        if (seeds.isEmpty()) {
            throw new IllegalArgumentException("no seeds to mutate");
        }
        this.seeds = List.copyOf(seeds);
        this.dictionary = List.copyOf(dictionary);
        this.random = new SplittableRandom(seed);
    }

    /** The next mutated input. */
    public byte[] next() {
        byte[] input = seeds.get(random.nextInt(seeds.size())).clone();
        int edits = 1 + random.nextInt(4);
        for (int i = 0; i < edits; i++) {
            input = edit(input);
        }
        return input.length > MAX_LENGTH ? Arrays.copyOf(input, MAX_LENGTH) : input;
    }

    private byte[] edit(byte[] in) {
        int choice = random.nextInt(in.length == 0 ? 1 : 10);
        switch (choice) {
            case 0:
                return insertRandom(in);
            case 1:
                in[at(in)] ^= (byte) (1 << random.nextInt(8));
                return in;
            case 2:
                in[at(in)] = (byte) INTERESTING[random.nextInt(INTERESTING.length)];
                return in;
            case 3:
                return overwriteInteger(in);
            case 4:
                return deleteRange(in);
            case 5:
                return duplicateRange(in);
            case 6:
                return Arrays.copyOf(in, random.nextInt(in.length));
            case 7:
                return splice(in);
            case 8:
                return dictionary.isEmpty() ? overwriteInteger(in) : insert(in, dictionary.get(random.nextInt(dictionary.size())));
            default:
                in[at(in)] = (byte) random.nextInt(256);
                return in;
        }
    }

    /** Writes a boundary value as a 1, 2, 4 or 8-byte integer of either byte order at a random offset. */
    private byte[] overwriteInteger(byte[] in) {
        int width = 1 << random.nextInt(4);
        if (in.length < width) {
            return insertRandom(in);
        }
        long value = INTERESTING[random.nextInt(INTERESTING.length)];
        ByteBuffer buffer = ByteBuffer.wrap(in).order(random.nextBoolean() ? ByteOrder.LITTLE_ENDIAN : ByteOrder.BIG_ENDIAN);
        int offset = random.nextInt(in.length - width + 1);
        switch (width) {
            case 1 -> buffer.put(offset, (byte) value);
            case 2 -> buffer.putShort(offset, (short) value);
            case 4 -> buffer.putInt(offset, (int) value);
            default -> buffer.putLong(offset, value);
        }
        return in;
    }

    private byte[] deleteRange(byte[] in) {
        int from = at(in);
        int to = Math.min(in.length, from + 1 + random.nextInt(Math.max(1, Math.min(64, in.length - from))));
        byte[] out = new byte[in.length - (to - from)];
        System.arraycopy(in, 0, out, 0, from);
        System.arraycopy(in, to, out, from, in.length - to);
        return out;
    }

    private byte[] duplicateRange(byte[] in) {
        int from = at(in);
        int length = 1 + random.nextInt(Math.min(4096, in.length - from));
        return insert(in, Arrays.copyOfRange(in, from, from + length));
    }

    private byte[] splice(byte[] in) {
        byte[] other = seeds.get(random.nextInt(seeds.size()));
        if (other.length == 0) {
            return in;
        }
        int cut = random.nextInt(in.length + 1);
        int from = random.nextInt(other.length);
        byte[] out = Arrays.copyOf(in, cut + other.length - from);
        System.arraycopy(other, from, out, cut, other.length - from);
        return out;
    }

    private byte[] insert(byte[] in, byte[] token) {
        int at = random.nextInt(in.length + 1);
        byte[] out = new byte[in.length + token.length];
        System.arraycopy(in, 0, out, 0, at);
        System.arraycopy(token, 0, out, at, token.length);
        System.arraycopy(in, at, out, at + token.length, in.length - at);
        return out;
    }

    private byte[] insertRandom(byte[] in) {
        byte[] tail = new byte[1 + random.nextInt(16)];
        for (int i = 0; i < tail.length; i++) {
            tail[i] = (byte) random.nextInt(256);
        }
        return insert(in, tail);
    }

    private int at(byte[] in) {
        return random.nextInt(in.length);
    }
}
