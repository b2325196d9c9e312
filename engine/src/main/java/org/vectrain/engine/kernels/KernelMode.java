package org.vectrain.engine.kernels;

import java.util.Locale;
import java.util.Set;
import org.vectrain.engine.InputException;

/**
 * The kernels a JVM asks for, from system property {@value #PROPERTY}: {@code auto} (the default: the widest
 * vectors this CPU runs well), {@code 512}, {@code 256}, {@code 128} or {@code scalar}. Read by the provider, which picks the
 * implementation, and by the vector kernels, which pick their species from it; kept here, below both, so that
 * neither depends on the other for it.
 */
public final class KernelMode {
    /** System property that selects the kernels: auto, 512, 256, 128 or scalar. */
    public static final String PROPERTY = "vectrain.simd";

    private static final Set<String> MODES = Set.of("auto", "512", "256", "128", "scalar");

    private KernelMode() {
    }

    /** The value of {@value #PROPERTY}, validated; {@code auto} when unset. */
    public static String requested() {
        String mode = System.getProperty(PROPERTY, "auto").strip().toLowerCase(Locale.ROOT);
        if (!MODES.contains(mode)) {
            throw new InputException(PROPERTY, "must be one of auto, 512, 256, 128, scalar, was '" + mode + "'");
        }
        return mode;
    }
}
