package org.vectrain.engine.data.pickle;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A Python byte string ({@code bytes}, {@code bytearray}, or a Python 2 {@code str}), compared by
 * content so that it can key a dict.
 *
 * @param bytes the content; not copied, so do not change it
 */
public record PyBytes(byte[] bytes) {

    /** The byte string with the given ASCII text, for looking up keys such as {@code b'data'}. */
    public static PyBytes ascii(String text) {
        return new PyBytes(text.getBytes(StandardCharsets.US_ASCII));
    }

    /** The content read as Latin-1, which maps every byte to one character and never fails. */
    public String latin1() {
        return new String(bytes, StandardCharsets.ISO_8859_1);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof PyBytes that && Arrays.equals(bytes, that.bytes);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(bytes);
    }

    @Override
    public String toString() {
        return "b'" + RestrictedUnpickler.printable(latin1()) + "'";
    }
}
