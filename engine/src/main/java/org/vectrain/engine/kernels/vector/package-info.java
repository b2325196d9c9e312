/**
 * The Vector API kernels, one file per operation: forward score tiles, gradient and update tiles,
 * evaluation blocks, softmax and losses, image translation; each file holds the row and quad variants of
 * its tiles side by side. {@link org.vectrain.engine.kernels.vector.SimdSpecies} chooses the species once;
 * {@link org.vectrain.engine.kernels.vector.VectorKernels} implements the contract by handing on to the
 * operation files. Every kernel here has a scalar twin in {@code kernels.scalar}, with the same bits where
 * the contract says so.
 */
package org.vectrain.engine.kernels.vector;
