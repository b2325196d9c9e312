package org.vectrain.cli;

import picocli.CommandLine;

/**
 * Reports the vectrain version, the commit it was built from (and whether the tree was dirty), the JDK and
 * the kernels (vector species) it runs on.
 */
public final class VersionProvider implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
        return new String[] {
            Provenance.describe(),
            "JDK " + System.getProperty("java.version") + " (" + System.getProperty("java.vendor") + ")",
            "kernels: " + org.vectrain.engine.kernels.provider.KernelProvider.kernels().description()
                + (org.vectrain.engine.kernels.provider.KernelProvider.warning().isEmpty() ? ""
                        : " (" + org.vectrain.engine.kernels.provider.KernelProvider.warning() + ")"),
        };
    }
}
