/**
 * The independent double-precision implementation of the model's forward pass, losses and gradients, on
 * plain arrays: the oracle of the numerics and golden tests and of the gradient check. Of the rest of the
 * engine it reads only the sets of {@code data}; nothing of the fast path.
 */
package org.vectrain.engine.reference;
