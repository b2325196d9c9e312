package org.vectrain.engine.kernels;

/**
 * Where a kernel writes K x n class-major scores: the score of class k and sample j at
 * {@code s[offset + k * ld + j]}, so that threads can each fill a block of columns of one K x ld matrix.
 */
public record ScoreTile(float[] s, int offset, int ld) {
}
