/**
 * A small pool of persistent worker threads for the kernels' fork-join steps, with results that
 * never depend on thread timing: work is split into fixed parts whose outputs do not overlap, and
 * partial sums are combined in part order.
 */
package org.vectrain.engine.parallel;
