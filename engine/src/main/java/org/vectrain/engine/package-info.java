/**
 * The vectrain engine: SIMD kernels on raw {@code float[]}, the softmax classifier, its training
 * and evaluation, and the CIFAR-10 data layer. It never depends on the command line front end.
 */
package org.vectrain.engine;
