package org.vectrain.cli;

import picocli.CommandLine;

/** Reports the vectrain version with the JDK and vector species it runs on. */
public final class VersionProvider implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
        String version = Main.class.getPackage().getImplementationVersion();
        return new String[] {
            "vectrain " + (version == null ? "(development build)" : version),
            "JDK " + System.getProperty("java.version") + " (" + System.getProperty("java.vendor") + ")",
        };
    }
}
