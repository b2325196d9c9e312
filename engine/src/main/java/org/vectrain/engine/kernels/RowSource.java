package org.vectrain.engine.kernels;

/**
 * Where a part of a batch reads its pixels when images are stored in rows: rows of {@code rowLength} unsigned
 * pixels that start at column {@code firstColumn}, so that the pixel of image i at column d is
 * {@code pixels[i * rowLength + d - firstColumn]}, and sample j of the batch is image {@code rows[rowStart + j]}
 * (the batch's start comes with each call). Whole images are {@code (D, 0)};
 * {@link org.vectrain.engine.layout.ColumnPlanes} stores a range of columns of every image apart. A caller
 * makes one per part when the set, the layout or the row order changes, not per call.
 */
public record RowSource(byte[] pixels, int rowLength, int firstColumn, int[] rows) {

    /** Whole images of {@code dim} pixels, in the order of {@code rows}. */
    public static RowSource whole(byte[] pixels, int dim, int[] rows) {
        return new RowSource(pixels, dim, 0, rows);
    }
}
