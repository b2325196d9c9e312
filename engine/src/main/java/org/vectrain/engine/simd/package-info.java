/**
 * The Vector API kernels: species selection, the skinny GEMMs of the model (forward scores and the
 * fused weight-gradient update), the fused softmax + cross-entropy, and reductions. Every kernel
 * here has a scalar twin in {@link org.vectrain.engine.reference}; both implement
 * {@link org.vectrain.engine.simd.Kernels}.
 *
 * <p>Kernels assume valid input (shapes, offsets, lengths): callers validate once at their public
 * entry point.
 */
package org.vectrain.engine.simd;
