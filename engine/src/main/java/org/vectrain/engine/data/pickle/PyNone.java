package org.vectrain.engine.data.pickle;

/** Python's {@code None}; a token, because Java collections here do not hold null. */
enum PyNone {
    NONE
}
