package org.vectrain.engine.data.pickle;

/**
 * A numpy array as pickled: shape, dtype, memory order and the raw bytes, without interpretation.
 *
 * <p>Protocol 5 pickles give all of it in one {@code _frombuffer} call; older ones create an empty
 * array with {@code _reconstruct} and fill it with a BUILD, and only then is the array complete.
 */
public final class NumpyArray {
    private long[] shape;
    private NumpyDtype dtype;
    private boolean fortranOrder;
    private byte[] data;

    NumpyArray() {
    }

    NumpyArray(long[] shape, NumpyDtype dtype, boolean fortranOrder, byte[] data) {
        fill(shape, dtype, fortranOrder, data);
    }

    void fill(long[] shape, NumpyDtype dtype, boolean fortranOrder, byte[] data) {
        this.shape = shape.clone();
        this.dtype = dtype;
        this.fortranOrder = fortranOrder;
        this.data = data;
    }

    /** Whether shape, dtype and data have been given; a reconstructed array is not until its BUILD. */
    public boolean complete() {
        return data != null;
    }

    /** The dimensions, outermost first. */
    public long[] shape() {
        requireComplete();
        return shape.clone();
    }

    /** The dtype as numpy's {@code dtype.str}, for example {@code |u1} for uint8. */
    public String dtype() {
        requireComplete();
        return dtype.str();
    }

    /** Whether the data is in column-major (Fortran) order rather than row-major (C) order. */
    public boolean fortranOrder() {
        requireComplete();
        return fortranOrder;
    }

    /** The raw element bytes as stored; not copied, so do not change them. */
    public byte[] data() {
        requireComplete();
        return data;
    }

    private void requireComplete() {
        if (!complete()) {
            throw new IllegalStateException("array reconstructed without its BUILD; check complete() first");
        }
    }
}
