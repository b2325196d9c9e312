package org.vectrain.engine.kernels.vector;

import java.util.Locale;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;
import org.vectrain.engine.kernels.KernelMode;

/**
 * The one place where the float vector species is chosen. System property {@code vectrain.simd}:
 * {@code auto} (default, the widest this CPU runs well), {@code 512}, {@code 256}, or {@code scalar}
 * (handled by the provider: the Vector API is not used at all). The kernels need at least
 * 8 float lanes (pixels are loaded as 64-bit byte vectors or wider); a CPU whose widest vectors are
 * 128 bits gets the scalar kernels.
 *
 * <p>Kept in its own class so that nothing touches {@code jdk.incubator.vector} unless the vector
 * kernels are actually chosen.
 */
public final class SimdSpecies {
    /** Float species of every vector kernel. Static final so the JIT folds it into the loops. */
    public static final VectorSpecies<Float> FLOAT = choose(KernelMode.requested());
    /** Int species with as many lanes as {@link #FLOAT}, for labels and arg-max indices. */
    public static final VectorSpecies<Integer> INT = VectorSpecies.of(int.class, FLOAT.vectorShape());
    /** Byte species with as many lanes as {@link #FLOAT}: pixels widened to one float vector. */
    public static final VectorSpecies<Byte> BYTE = VectorSpecies.of(byte.class,
            VectorShape.forBitSize(FLOAT.length() * 8));

    private SimdSpecies() {
    }

    private static VectorSpecies<Float> choose(String mode) {
        switch (mode.toLowerCase(Locale.ROOT)) {
            case "512":
                return FloatVector.SPECIES_512;
            case "256":
                return FloatVector.SPECIES_256;
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

    /** Whether the kernels can use this species: 8 float lanes or more. */
    public static boolean wideEnough() {
        return FLOAT.length() >= 8;
    }
}
