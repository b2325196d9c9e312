package org.vectrain.engine.data.pickle;

/**
 * What {@code numpy.dtype(descr, align, copy)} followed by a BUILD describes: a type code such as
 * {@code u1} and a byte order such as {@code |}. Nothing else of a dtype's state is kept.
 */
final class NumpyDtype {
    private final String descr;
    private String byteOrder;

    NumpyDtype(String descr) {
        this.descr = descr;
    }

    boolean built() {
        return byteOrder != null;
    }

    void build(String byteOrder) {
        this.byteOrder = byteOrder;
    }

    /** As numpy's {@code dtype.str}: byte order then type code, for example {@code |u1}. */
    String str() {
        return (byteOrder == null ? "" : byteOrder) + descr;
    }
}
