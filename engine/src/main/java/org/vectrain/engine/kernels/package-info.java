/**
 * The kernel contract: {@link org.vectrain.engine.kernels.Kernels} (forward scores, the fused softmax +
 * cross-entropy, the weight gradient and the SGD update, the fold of the normalisation into the parameters),
 * the argument records that say where a part of a batch reads its pixels and where a score tile is written,
 * the loss kernels' shape ({@link org.vectrain.engine.kernels.LossKernel}, {@link
 * org.vectrain.engine.kernels.LossAccumulator}) and the requested mode
 * ({@link org.vectrain.engine.kernels.KernelMode}).
 *
 * <p>Kernels assume valid input (shapes, offsets, lengths): callers validate once at their public entry
 * point. Implementations: {@code kernels.vector} (Vector API) and its scalar twin {@code kernels.scalar};
 * {@code kernels.provider} picks one per JVM.
 */
package org.vectrain.engine.kernels;
