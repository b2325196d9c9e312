/**
 * What {@code vectrain bench} measures outside the engine: the numpy/OpenBLAS baseline, run as a child
 * process beside vectrain's own epochs.
 */
package org.vectrain.cli.bench;
