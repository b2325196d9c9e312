/**
 * Training: the validated configuration, seeded random streams, the fused mini-batch step and the
 * epoch loop with its per-epoch history.
 */
package org.vectrain.engine.train;
