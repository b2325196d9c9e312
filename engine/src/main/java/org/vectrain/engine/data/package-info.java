/**
 * CIFAR-10 data: readers for the official binary and Python layouts, layout detection, download and
 * safe extraction, the standard and all splits, per-dimension normalisation, and the sets as the kernels
 * read them ({@link org.vectrain.engine.data.DataSet}: pixel bytes and the affine map of the
 * normalisation). Knows no model and no kernel.
 */
package org.vectrain.engine.data;
