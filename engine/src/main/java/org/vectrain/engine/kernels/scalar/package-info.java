/**
 * Plain scalar twins of every vector kernel, translation included: the readable statement of the math,
 * the fallback when the Vector API is absent or turned off, and the oracle of the numerics tests. Nothing
 * here uses the Vector API or the vector kernels.
 */
package org.vectrain.engine.kernels.scalar;
