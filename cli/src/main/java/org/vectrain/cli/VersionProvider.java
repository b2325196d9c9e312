package org.vectrain.cli;

import picocli.CommandLine;

/** Reports the vectrain version with the JDK and the kernels (vector species) it runs on. */
public final class VersionProvider implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
        String version = Main.class.getPackage().getImplementationVersion();
        return new String[] {
            "vectrain " + (version == null ? "(development build)" : version),
            "JDK " + System.getProperty("java.version") + " (" + System.getProperty("java.vendor") + ")",
            "kernels: " + org.vectrain.engine.kernels.provider.KernelProvider.kernels().description()
                + (org.vectrain.engine.kernels.provider.KernelProvider.warning().isEmpty() ? ""
                        : " (" + org.vectrain.engine.kernels.provider.KernelProvider.warning() + ")"),
        };
    }
}
