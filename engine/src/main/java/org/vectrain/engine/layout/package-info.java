/**
 * The pixel layouts the kernels read, each made once per set and kept while the set's pixels live
 * ({@link org.vectrain.engine.layout.LayoutCache}): {@link org.vectrain.engine.layout.SampleBlocks} for
 * evaluation, {@link org.vectrain.engine.layout.SampleQuads} for training on batches in order and
 * {@link org.vectrain.engine.layout.ColumnPlanes} for shuffled training on two cores. Rows (one image per
 * row, as in the files) need no layout. {@link org.vectrain.engine.layout.AlignedFloats} gives float arrays whose
 * rows start on cache lines. Depends only on {@code data}, for the sets it re-lays.
 */
package org.vectrain.engine.layout;
