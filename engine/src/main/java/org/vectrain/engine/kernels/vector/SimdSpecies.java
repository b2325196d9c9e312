package org.vectrain.engine.kernels.vector;

import java.util.Locale;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;
import org.vectrain.engine.kernels.KernelMode;

/**
 * The one place where the float vector species is chosen. System property {@code vectrain.simd}:
 * {@code auto} (default, the widest this CPU runs well), {@code 512}, {@code 256}, {@code 128}, or
 * {@code scalar} (handled by the provider: the Vector API is not used at all). The kernels need at least
 * 4 float lanes: 128-bit vectors, as ARM's NEON and x86's SSE have.
 *
 * <p>Kept in its own class so that nothing touches {@code jdk.incubator.vector} unless the vector
 * kernels are actually chosen.
 */
public final class SimdSpecies {
    /** Float species of every vector kernel. Static final so the JIT folds it into the loops. */
    public static final VectorSpecies<Float> FLOAT = choose(KernelMode.requested());
    /** Int species with as many lanes as {@link #FLOAT}, for labels and arg-max indices. */
    public static final VectorSpecies<Integer> INT = VectorSpecies.of(int.class, FLOAT.vectorShape());
    /**
     * Byte species of pixel loads, widened to one float vector: as many lanes as {@link #FLOAT}, except
     * for 4 float lanes, whose 32 bits are no vector shape; those load 8 bytes and widen the first 4
     * ({@code PixelVectors#bytes}).
     */
    public static final VectorSpecies<Byte> BYTE = VectorSpecies.of(byte.class,
            VectorShape.forBitSize(Math.max(64, FLOAT.length() * 8)));

    private SimdSpecies() {
    }

    private static VectorSpecies<Float> choose(String mode) {
        switch (mode.toLowerCase(Locale.ROOT)) {
            case "512":
                return FloatVector.SPECIES_512;
            case "256":
                return FloatVector.SPECIES_256;
            case "128":
                return FloatVector.SPECIES_128;
            default:
                return VectorSpecies.of(float.class, VectorShape.preferredShape());
        }
    }

    public static String describe() {
        return FLOAT.vectorBitSize() + "-bit (" + FLOAT.length() + " float lanes)";
    }

    /** Whether the hardware runs vectors this wide (wider ones work, through slow Java fallbacks). */
    public static boolean fitsHardware() {
        return IntVector.SPECIES_PREFERRED.vectorBitSize() >= FLOAT.vectorBitSize();
    }

    /** Whether the kernels can use this species: 4 float lanes or more. */
    public static boolean wideEnough() {
        return FLOAT.length() >= 4;
    }
}
