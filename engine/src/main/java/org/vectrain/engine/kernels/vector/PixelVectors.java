package org.vectrain.engine.kernels.vector;

import java.util.Arrays;
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
     * {@link #B} has 8, and the last L bytes of an array have no 8 to load, so those come from a padded copy.
     * The test is a constant for wider species, which C2 removes.
     */
    static ByteVector bytes(byte[] p, int at) {
        if (B.length() == L || at + B.length() <= p.length) {
            return ByteVector.fromArray(B, p, at);
        }
        return ByteVector.fromArray(B, Arrays.copyOfRange(p, at, at + B.length()), 0);
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
