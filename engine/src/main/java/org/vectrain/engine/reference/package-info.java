/**
 * Plain scalar twins of every SIMD kernel: the readable statement of the math, the fallback when
 * the Vector API is absent or turned off, and the oracle of the numerics tests.
 */
package org.vectrain.engine.reference;
