/**
 * CIFAR-10 data: readers for the official binary and Python layouts, layout detection, download and
 * safe extraction, the standard and all splits, and per-dimension normalisation.
 */
package org.vectrain.engine.data;
