package org.vectrain.engine.simd;

import java.util.Locale;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

/**
 * The one place where the float vector species is chosen. System property {@code vectrain.simd}:
 * {@code auto} (default, the widest this CPU runs well), {@code 512}, {@code 256}, {@code 128}, or
 * {@code scalar} (handled by {@link KernelProvider}: the Vector API is not used at all).
 *
 * <p>Kept in its own class so that nothing touches {@code jdk.incubator.vector} unless the vector
 * kernels are actually chosen.
 */
final class SimdSpecies {
    /** Float species of every vector kernel. Static final so the JIT folds it into the loops. */
    static final VectorSpecies<Float> FLOAT = choose(KernelProvider.requestedMode());
    /** Int species with as many lanes as {@link #FLOAT}, for labels and arg-max indices. */
    static final VectorSpecies<Integer> INT = VectorSpecies.of(int.class, FLOAT.vectorShape());

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

    static String describe() {
        return FLOAT.vectorBitSize() + "-bit (" + FLOAT.length() + " float lanes)";
    }

    static boolean usable() {
        // A species wider than the hardware runs, but through slow Java fallbacks; refuse it loudly.
        return IntVector.SPECIES_PREFERRED.vectorBitSize() >= FLOAT.vectorBitSize();
    }
}
