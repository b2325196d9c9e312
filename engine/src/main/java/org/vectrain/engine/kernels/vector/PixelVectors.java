package org.vectrain.engine.kernels.vector;

import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;
import org.vectrain.engine.kernels.scalar.ScalarKernels;
import org.vectrain.engine.layout.SampleQuads;

/**
 * Pixel loads shared by the forward and gradient tiles (unsigned bytes read as signed values, widened), and
 * the check their quad variants make.
 */
final class PixelVectors {
    private static final VectorSpecies<Float> F = SimdSpecies.FLOAT;
    /** Bytes with as many lanes as {@link #F}: one load, widened to one float vector. */
    private static final VectorSpecies<Byte> B = SimdSpecies.BYTE;
    /** Flipping it turns an unsigned pixel p into the signed byte p - 128. */
    private static final byte SIGN_BIT = (byte) 0x80;
    private static final int L = F.length();
    private static final int B_LANES = B.length();
    /** Bytes a pixel load reads past the L pixels it widens: 4 with 4 float lanes (32 bits is no shape), else 0. */
    static final int OVERREAD = B_LANES - L;

    private PixelVectors() {
    }

    /** The pixel {@code p} (stored unsigned) as the signed value {@code p - 128}. */
    static int signed(byte p) {
        return ScalarKernels.signed(p);
    }

    /** L pixels from {@code at} as signed {@code q = pixel - 128} (the top bit flipped), widened to floats. */
    static FloatVector pixels(byte[] p, int at) {
        return (FloatVector) bytes(p, at).lanewise(VectorOperators.XOR, SIGN_BIT)
                .convertShape(VectorOperators.B2F, F, 0);
    }

    /**
     * The bytes from {@code at} whose first L lanes are widened: one load of {@link #B}. With 4 float lanes
     * that load reads {@link #OVERREAD} bytes past the 4 it widens; the kernels keep those inside their
     * arrays ({@link #vectorEnd}, {@code SampleBlocks#SLACK}, {@code ColumnPlanes#SLACK}), so that the load
     * needs no bounds test: one whose rare path makes a call would have C2 keep a tile's accumulators in memory.
     */
    static ByteVector bytes(byte[] p, int at) {
        return ByteVector.fromArray(B, p, at);
    }

    /**
     * The end of the whole pixel vectors of the columns {@code [from, to)} of images of {@code dim} columns: a
     * load at any {@code d < end} in steps of L, {@link #OVERREAD} bytes included, stays inside its image or
     * reads the start of the next row. For 8 lanes or more this is {@code from + F.loopBound(to - from)};
     * with 4 the last {@link #OVERREAD} columns of an image go to the scalar tail. That depends on the column
     * alone, not on the range or the layout, so columns computed in parts give the bits of the whole; a layout
     * whose rows end before the image does keeps {@link #OVERREAD} bytes after its last row
     * ({@code ColumnPlanes#SLACK}).
     */
    static int vectorEnd(int from, int to, int dim) {
        return from + F.loopBound(Math.max(0, Math.min(to, dim - OVERREAD) - from));
    }

    /**
     * The quad kernels step one vector per unit of a quad: with fewer lanes they would read the wrong pixels,
     * so they refuse ({@link org.vectrain.engine.kernels.Kernels#readsQuads} keeps training off them).
     */
    static void requireQuadLanes() {
        if (L != SampleQuads.UNIT) {
            throw new UnsupportedOperationException("the quad kernels need " + SampleQuads.UNIT
                    + "-lane float vectors; these have " + L);
        }
    }
}
