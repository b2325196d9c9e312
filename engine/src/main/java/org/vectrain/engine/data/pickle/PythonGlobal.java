package org.vectrain.engine.data.pickle;

import java.util.HashMap;
import java.util.Map;

/**
 * The only globals a pickle may name, each under every module path numpy and Python have written it
 * with. A global is a token here: it is never looked up, and {@code REDUCE} on it runs the small Java
 * model of that one function in {@link RestrictedUnpickler}.
 */
enum PythonGlobal {
    /** {@code _reconstruct(ndarray, shape, typecode)}: an empty array that a BUILD then fills. */
    RECONSTRUCT(true, "numpy.core.multiarray _reconstruct", "numpy._core.multiarray _reconstruct"),
    /** Only ever the first argument of {@link #RECONSTRUCT}. */
    NDARRAY(false, "numpy ndarray"),
    /** {@code dtype(descr, align, copy)}: a dtype that a BUILD then gives its byte order. */
    DTYPE(true, "numpy dtype"),
    /** Protocol 5: {@code _frombuffer(buffer, dtype, shape, order)}, a whole array in one call. */
    FROMBUFFER(true, "numpy.core.numeric _frombuffer", "numpy._core.numeric _frombuffer"),
    /** Python 3 at protocol 2 writes bytes as {@code _codecs.encode(text, 'latin1')}. */
    CODECS_ENCODE(true, "_codecs encode");

    private static final Map<String, PythonGlobal> BY_NAME = new HashMap<>();

    static {
        for (PythonGlobal global : values()) {
            for (String name : global.names) {
                BY_NAME.put(name, global);
            }
        }
    }

    private final boolean callable;
    private final String[] names;

    PythonGlobal(boolean callable, String... names) {
        this.callable = callable;
        this.names = names;
    }

    /** The accepted global with this module and name, or null. */
    static PythonGlobal find(String module, String name) {
        return BY_NAME.get(module + " " + name);
    }

    boolean callable() {
        return callable;
    }

    /** The first spelling, for messages. */
    String spelling() {
        return names[0];
    }
}
