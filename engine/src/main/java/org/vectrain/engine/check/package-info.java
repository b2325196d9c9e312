/**
 * Gradient checks: the analytic gradients of the model against centred finite differences in double
 * precision, and the float SIMD gradients against the double analytic ones, as rows of largest
 * errors that the command line prints and the report renders.
 */
package org.vectrain.engine.check;
