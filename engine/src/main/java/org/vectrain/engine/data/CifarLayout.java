package org.vectrain.engine.data;

/** The published layouts of CIFAR-10 that vectrain reads. */
public enum CifarLayout {
    /** {@code cifar-10-batches-bin/}: {@code data_batch_N.bin}, {@code test_batch.bin}, {@code batches.meta.txt}. */
    BINARY,
    /** {@code cifar-10-batches-py/}: pickled dicts {@code data_batch_N}, {@code test_batch}, {@code batches.meta}. */
    PYTHON
}
