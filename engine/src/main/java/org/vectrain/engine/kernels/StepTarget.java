package org.vectrain.engine.kernels;

/**
 * What an SGD step from a stored gradient writes ({@link Kernels#stepFromGradient}), K x D each: the weights
 * {@code w} it steps, a copy {@code wCopy} that receives the new W as well (or null), the folded W' and the
 * partial shifts of every strip of {@code strip} columns into {@code shiftOut[(strip start / strip) * K + k]}.
 */
public record StepTarget(int classes, float[] w, float[] wCopy, float[] wFolded, float[] shiftOut, int strip) {
}
