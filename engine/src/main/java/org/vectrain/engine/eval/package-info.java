/** Evaluation passes: loss, cost, accuracy and predictions over whole sets, on all cores. */
package org.vectrain.engine.eval;
