package org.vectrain.engine.kernels;

/**
 * The per-dimension affine map of the normalisation, {@code x = scale[d] * q + shift[d]} on the signed pixel
 * value q ({@code a} and {@code c} in {@link Kernels}).
 */
public record Affine(float[] scale, float[] shift) {
}
