/**
 * The one-layer softmax classifier: its parameters, initialisation, the data sets it reads, and those
 * sets' pixels re-laid for evaluation ({@link org.vectrain.engine.model.SampleBlocks}), for training on
 * batches in order ({@link org.vectrain.engine.model.SampleQuads}) and for shuffled training on two cores
 * ({@link org.vectrain.engine.model.ColumnPlanes}).
 */
package org.vectrain.engine.model;
