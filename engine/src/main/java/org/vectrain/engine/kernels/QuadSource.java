package org.vectrain.engine.kernels;

/**
 * Where a part of a batch reads its pixels from one plane of {@link org.vectrain.engine.layout.SampleQuads}: the
 * plane, its padded width, and the first column of its range, so that the pixel of image i at column d is
 * {@code quads[SampleQuads.offset(i, d - firstColumn, width)]}.
 */
public record QuadSource(byte[] quads, int width, int firstColumn) {
}
