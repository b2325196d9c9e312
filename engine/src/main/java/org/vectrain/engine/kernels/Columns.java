package org.vectrain.engine.kernels;

/**
 * The columns {@code [from, to)} of a matrix {@code width} columns wide: of W and W' (K x D, width D), of the
 * stored weight gradient, and of the images. Parts of a batch that own disjoint column ranges run on
 * different threads; the ranges are fixed per step shape, so a caller makes them once.
 */
public record Columns(int from, int to, int width) {

    /** All {@code width} columns. */
    public static Columns all(int width) {
        return new Columns(0, width, width);
    }
}
