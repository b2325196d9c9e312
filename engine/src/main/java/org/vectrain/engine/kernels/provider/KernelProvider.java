package org.vectrain.engine.kernels.provider;

import org.vectrain.engine.InputException;
import org.vectrain.engine.kernels.KernelMode;
import org.vectrain.engine.kernels.Kernels;
import org.vectrain.engine.kernels.TwoLayerKernels;
import org.vectrain.engine.kernels.scalar.ScalarKernels;
import org.vectrain.engine.kernels.scalar.ScalarTwoLayerKernels;
import org.vectrain.engine.kernels.vector.SimdSpecies;
import org.vectrain.engine.kernels.vector.VectorKernels;
import org.vectrain.engine.kernels.vector.VectorTwoLayerKernels;

/**
 * Chooses the kernels once per JVM: the Vector API kernels when {@code jdk.incubator.vector} is
 * present and not turned off, else the scalar twins, with a warning that says how to get the fast
 * path. The choice is reported by {@link #kernels()}{@code .description()} in every run's metadata.
 */
public final class KernelProvider {
    /** System property that selects the kernels: auto, 512, 256 or scalar ({@link KernelMode}). */
    public static final String PROPERTY = KernelMode.PROPERTY;

    private static volatile Kernels chosen;
    private static volatile String warning = "";

    private KernelProvider() {
    }

    /** The kernels every model and trainer in this JVM uses. */
    public static Kernels kernels() {
        Kernels k = chosen;
        if (k == null) {
            synchronized (KernelProvider.class) {
                if (chosen == null) {
                    chosen = choose();
                }
                k = chosen;
            }
        }
        return k;
    }

    /** A warning about the choice (empty when the fast path is in use). */
    public static String warning() {
        kernels();
        return warning;
    }

    /** The scalar twins, whatever the property says (for tests and benchmarks). */
    public static Kernels scalar() {
        return new ScalarKernels();
    }

    /** The Vector API kernels, whatever the property says; fails when the module is missing. */
    public static Kernels vector() {
        return new VectorKernels();
    }

    /**
     * The two-layer network's kernels that go with {@link #kernels()}: the Vector API ones where those are the
     * vector kernels, else the scalar twins.
     */
    public static TwoLayerKernels twoLayerKernels() {
        return kernels() instanceof VectorKernels ? new VectorTwoLayerKernels() : new ScalarTwoLayerKernels();
    }

    /** The two-layer network's scalar twins, whatever the property says. */
    public static TwoLayerKernels twoLayerScalar() {
        return new ScalarTwoLayerKernels();
    }

    /** The two-layer network's Vector API kernels, whatever the property says; fails when the module is missing. */
    public static TwoLayerKernels twoLayerVector() {
        return new VectorTwoLayerKernels();
    }

    private static Kernels choose() {
        String mode = KernelMode.requested();
        if (mode.equals("scalar")) {
            return new ScalarKernels();
        }
        if (ModuleLayer.boot().findModule("jdk.incubator.vector").isEmpty()) {
            warning = "jdk.incubator.vector is not available: running the scalar kernels, an order of magnitude "
                    + "slower than the vector kernels (docs/performance.md has the figures). Start the JVM with "
                    + "--add-modules jdk.incubator.vector (the ./vectrain launcher does).";
            return new ScalarKernels();
        }
        if (!SimdSpecies.fitsHardware()) {
            throw new InputException(PROPERTY, "is " + mode + ", but this CPU's widest vectors are "
                    + jdk.incubator.vector.IntVector.SPECIES_PREFERRED.vectorBitSize() + " bits");
        }
        if (!SimdSpecies.wideEnough()) {
            warning = "this CPU's vectors hold fewer than 4 floats: running the scalar kernels.";
            return new ScalarKernels();
        }
        return new VectorKernels();
    }
}
