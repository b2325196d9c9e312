package org.vectrain.engine.data.pickle;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/** Pickles written byte by byte, for the unpickler's tests. */
final class PickleBytes {
    private PickleBytes() {
    }

    /** Bytes of a pickle: an Integer or Character is one byte, a String its Latin-1 bytes, a byte[] itself. */
    static byte[] pickle(Object... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (Object part : parts) {
            if (part instanceof Integer b) {
                out.write(b);
            } else if (part instanceof Character c) {
                out.write(c);
            } else if (part instanceof String s) {
                out.writeBytes(s.getBytes(StandardCharsets.ISO_8859_1));
            } else {
                out.writeBytes((byte[]) part);
            }
        }
        return out.toByteArray();
    }
}
